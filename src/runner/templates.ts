import { compileExpression, evaluateExpression, expressionSource, ExpressionSyntaxError, type Expression, type ExpressionLimits } from './expressions.js'
import { exceedsBytes } from './result-size.js'
import type { Vars } from './types.js'

/**
 * A config value compiled once: literals stay as they are, `{% … %}` strings become compiled
 * expressions, objects and arrays are walked. Subtrees without expressions collapse to literals.
 */
export type Template =
  | { t: 'lit', value: unknown }
  | { t: 'expr', source: string, expression: Expression }
  | { t: 'obj', entries: Array<[string, Template]> }
  | { t: 'arr', items: Template[] }

export class TemplateError extends Error {
  constructor (readonly path: string, message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

export function compileTemplate (value: unknown, path: string, limits?: ExpressionLimits): Template {
  if (typeof value === 'string') {
    const source = expressionSource(value)
    if (source === undefined) return { t: 'lit', value }
    try {
      return { t: 'expr', source, expression: compileExpression(source, limits) }
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) throw new TemplateError(path, err.message)
      throw err
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileTemplate(item, `${path}[${i}]`, limits))
    return items.every((item) => item.t === 'lit') ? { t: 'lit', value } : { t: 'arr', items }
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]): [string, Template] => [key, compileTemplate(item, `${path}.${key}`, limits)])
    return entries.every(([, item]) => item.t === 'lit') ? { t: 'lit', value } : { t: 'obj', entries }
  }
  return { t: 'lit', value }
}

export interface EvaluationLimits {
  /** Largest value (as JSON) one expression may produce. */
  maxResultBytes: number
  /** Step log entries kept per run. */
  maxLogEntries?: number
}

export const DEFAULT_LIMITS: EvaluationLimits = { maxResultBytes: 16 * 1024 * 1024 }

export async function evaluateTemplate (template: Template, vars: Vars, limits: EvaluationLimits = DEFAULT_LIMITS): Promise<unknown> {
  switch (template.t) {
    case 'lit': return template.value
    case 'expr': {
      const value = await evaluateExpression(template.expression, vars)
      if (exceedsBytes(value, limits.maxResultBytes)) {
        throw new Error(`expression result is larger than ${limits.maxResultBytes} bytes: {% ${template.source.slice(0, 80)} %}`)
      }
      return value
    }
    case 'arr': {
      const out: unknown[] = []
      for (const item of template.items) out.push(await evaluateTemplate(item, vars, limits))
      return out
    }
    case 'obj': {
      const entries: Array<[string, unknown]> = []
      for (const [key, item] of template.entries) entries.push([key, await evaluateTemplate(item, vars, limits)])
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(entries)
    }
  }
}
