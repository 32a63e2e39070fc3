import { compileExpression, evaluateExpression, expressionSource, ExpressionSyntaxError, type Expression, type ExpressionLimits } from './expressions.js'
import { plainResultExceeds } from './plain-result.js'
import type { Vars } from './types.js'

/**
 * A config value compiled once: literals stay as they are, `{% … %}` strings become compiled
 * expressions, objects and arrays are walked. Subtrees without expressions collapse to literals.
 */
export type Template =
  | { t: 'lit', value: unknown }
  | { t: 'expr', source: string, expression: Expression, path?: string[] }
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
      const path = plainPath(expression)
      return path === undefined ? { t: 'expr', source, expression } : { t: 'expr', source, expression, path }
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

/** The field names of an expression that is nothing but a path of plain names (`body.order.id`). */
function plainPath (expression: Expression): string[] | undefined {
  const ast = expression.ast() as { type: string, steps?: Array<Record<string, unknown>> }
  if (ast.type !== 'path' || ast.steps === undefined) return undefined
  const names: string[] = []
  for (const step of ast.steps) {
    if (step.type !== 'name' || typeof step.value !== 'string' || Object.keys(step).some((key) => !['type', 'value', 'position'].includes(key))) return undefined
    names.push(step.value)
  }
  return names
}

const NEEDS_JSONATA = Symbol('needs JSONata')

/**
 * A plain path through plain objects, as JSONata would answer it, without its (async, costly)
 * evaluator. A step into an array has JSONata's sequence semantics (mapping, flattening): that
 * goes to JSONata. An array the path ends on JSONata returns as it is, nested or singleton
 * (test/runner/bounded.test.ts holds the two to the same answers).
 */
function followPath (vars: Vars, path: string[]): unknown {
  let current: unknown = vars
  for (const name of path) {
    if (Array.isArray(current)) return NEEDS_JSONATA
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) return undefined
    current = (current as Record<string, unknown>)[name]
  }
  return current
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
      if (template.path !== undefined) {
        const direct = followPath(vars, template.path)
        if (direct !== NEEDS_JSONATA) return direct
      }
      const value = await evaluateExpression(template.expression, vars)
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
