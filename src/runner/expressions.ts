import jsonata from 'jsonata'
import type { Vars } from './types.js'

/** `{% … %}` marks a JSONata expression (the delimiters AWS Step Functions uses). */
const EXPRESSION = /^\{%([\s\S]*)%\}$/

export type Expression = jsonata.Expression

export class ExpressionSyntaxError extends Error {
  constructor (message: string, readonly position?: number) {
    super(message)
    this.name = 'ExpressionSyntaxError'
  }
}

/** The JSONata source inside `{% … %}`, or undefined when the string is a literal. */
export function expressionSource (value: string): string | undefined {
  const match = EXPRESSION.exec(value)
  return match === null ? undefined : match[1].trim()
}

function refuseEval (): never {
  throw new Error('$eval is disabled: request data is never evaluated as an expression')
}

/** JSONata's own guard rails: clear errors long before the deadline has to step in. */
export interface ExpressionLimits {
  /** Longest sequence an expression may build (`[1..n]`, mapping). */
  maxSequence: number
  /** Deepest evaluation nesting (recursion). */
  maxDepth: number
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = { maxSequence: 1_000_000, maxDepth: 2000 }

/**
 * Expressions that can answer the input object itself: `$`, `$$`, the parent operator `%`. Such
 * an answer assigned to a variable would put the variables inside themselves (`{% $ %}` as a
 * snapshot), a cycle no reply or run record can be written from; these are handed a shallow copy.
 */
const READS_WHOLE_INPUT = new WeakSet<Expression>()

function mentionsWholeInput (node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsWholeInput)
  if (node === null || typeof node !== 'object') return false
  const { type, value } = node as { type?: unknown, value?: unknown }
  if ((type === 'variable' && (value === '' || value === '$')) || type === 'parent') return true
  return Object.values(node).some(mentionsWholeInput)
}

export function compileExpression (source: string, limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS): Expression {
  let expression: Expression
  try {
    expression = jsonata(source, { sequence: limits.maxSequence, stack: limits.maxDepth })
  } catch (err) {
    const e = err as { message?: string, position?: number }
    throw new ExpressionSyntaxError(`JSONata syntax error: ${e.message ?? String(err)}${e.position !== undefined ? ` at position ${e.position}` : ''}`, e.position)
  }
  // `$eval` would turn a string from the request into code.
  expression.registerFunction('eval', refuseEval)
  if (mentionsWholeInput(expression.ast())) READS_WHOLE_INPUT.add(expression)
  return expression
}

/** What an expression is evaluated against: the variables, or a shallow copy of them for one that can answer them whole. */
export function inputFor (expression: Expression, vars: Vars): Vars {
  return READS_WHOLE_INPUT.has(expression) ? { ...vars } : vars
}

/**
 * The output variables are also bound as JSONata variables (`$status`, `$headers`, `$body`), and
 * so is the last handled step error (`$error`).
 */
export async function evaluateExpression (expression: Expression, vars: Vars): Promise<unknown> {
  return await expression.evaluate(inputFor(expression, vars), {
    status: vars.$status,
    headers: vars.$headers,
    body: vars.$body,
    error: vars.$error
  })
}
