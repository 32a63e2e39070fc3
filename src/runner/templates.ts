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

/** What `evaluateNow` answers for a template it cannot evaluate without JSONata's evaluator. */
const LATER = Symbol('later')

/**
 * Evaluates a template. Most templates (literals, and expressions the shortcuts answer) need no
 * asynchronous step: they are evaluated in one synchronous pass, without the promise and
 * microtask per node that the general walk costs. A template the pass cannot finish is
 * evaluated again from the start by the general walk; expressions are pure, so the second
 * pass sees what the first did.
 */
export function evaluateTemplate (template: Template, vars: Vars, limits: EvaluationLimits = DEFAULT_LIMITS): Promise<unknown> {
  let now: unknown
  try {
    now = evaluateNow(template, vars, limits)
  } catch (err) {
    return Promise.reject(err)
  }
  return now === LATER ? evaluateLater(template, vars, limits) : Promise.resolve(now)
}

function checkedResult (template: Template & { t: 'expr' }, value: unknown, limits: EvaluationLimits): unknown {
  if (plainResultExceeds(value, limits.maxResultBytes)) {
    throw new Error(`expression result is larger than ${limits.maxResultBytes} bytes: {% ${template.source.slice(0, 80)} %}`)
  }
  return value
}

/** The expression's value from its shortcut, or ASK_JSONATA. */
function quickValue (template: Template & { t: 'expr' }, vars: Vars): unknown {
  const shortcut = template.shortcut
  // Given what JSONata would be given: a copy of the variables for `{% $ %}` and the like (expressions.ts).
  return shortcut === undefined ? ASK_JSONATA : shortcut.evaluate(inputFor(template.expression, vars))
}

function evaluateNow (template: Template, vars: Vars, limits: EvaluationLimits): unknown {
  switch (template.t) {
    case 'lit': return template.value
    case 'expr': {
      const quick = quickValue(template, vars)
      if (quick === ASK_JSONATA) return LATER
      return template.shortcut!.picksExisting ? quick : checkedResult(template, quick, limits)
    }
    case 'arr': {
      const out: unknown[] = []
      for (const item of template.items) {
        const value = evaluateNow(item, vars, limits)
        if (value === LATER) return LATER
        out.push(value)
      }
      return out
    }
    case 'obj': {
      const entries: Array<[string, unknown]> = []
      for (const [key, item] of template.entries) {
        const value = evaluateNow(item, vars, limits)
        if (value === LATER) return LATER
        entries.push([key, value])
      }
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(entries)
    }
  }
}

async function evaluateLater (template: Template, vars: Vars, limits: EvaluationLimits): Promise<unknown> {
  switch (template.t) {
    case 'lit': return template.value
    case 'expr': {
      const quick = quickValue(template, vars)
      if (quick !== ASK_JSONATA && template.shortcut!.picksExisting) return quick
      return checkedResult(template, quick === ASK_JSONATA ? await evaluateExpression(template.expression, vars) : quick, limits)
    }
    case 'arr': {
      const out: unknown[] = []
      for (const item of template.items) out.push(await evaluateLater(item, vars, limits))
      return out
    }
    case 'obj': {
      const entries: Array<[string, unknown]> = []
      for (const [key, item] of template.entries) entries.push([key, await evaluateLater(item, vars, limits)])
      return Object.fromEntries(entries)
    }
  }
}
