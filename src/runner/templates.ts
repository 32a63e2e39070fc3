import { compileExpression, evaluateExpression, expressionSource, ExpressionSyntaxError, inputFor, type Expression, type ExpressionLimits } from './expressions.js'
import { ASK_JSONATA, shortcutOf, type Shortcut } from './expression-shortcut.js'
import { plainResultExceeds } from './plain-result.js'
import type { Vars } from './types.js'

/**
 * A config value compiled once: literals stay as they are, `{% … %}` strings become compiled
 * expressions, objects and arrays are walked. Subtrees without expressions collapse to literals.
 */
export type Template =
  | { t: 'lit', value: unknown }
  | { t: 'expr', source: string, expression: Expression, shortcut?: Shortcut }
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
      const expression = compileExpression(source, limits)
      const shortcut = shortcutOf(expression.ast())
      return shortcut === undefined ? { t: 'expr', source, expression } : { t: 'expr', source, expression, shortcut }
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
      const shortcut = template.shortcut
      // Given what JSONata would be given: a copy of the variables for `{% $ %}` and the like (expressions.ts).
      const quick = shortcut === undefined ? ASK_JSONATA : shortcut.evaluate(inputFor(template.expression, vars))
      if (quick !== ASK_JSONATA && shortcut!.picksExisting) return quick
      const value = quick === ASK_JSONATA ? await evaluateExpression(template.expression, vars) : quick
      if (plainResultExceeds(value, limits.maxResultBytes)) {
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
