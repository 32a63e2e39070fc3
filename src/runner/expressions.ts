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
  return expression
}

/**
 * The output variables are also bound as JSONata variables (`$status`, `$headers`, `$body`), and
 * so is the last handled step error (`$error`).
 */
export async function evaluateExpression (expression: Expression, vars: Vars): Promise<unknown> {
  return await expression.evaluate(vars, {
    status: vars.$status,
    headers: vars.$headers,
    body: vars.$body,
    error: vars.$error
  })
}
