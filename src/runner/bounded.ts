import type { Expression } from './expressions.js'
import type { Template } from './templates.js'
import type { CompiledScenario } from './types.js'

/**
 * Built-ins whose cost grows at most linearly with their input — no callbacks, no regexes, no
 * padding to a caller-chosen length.
 */
const LINEAR_FUNCTIONS = new Set([
  'string', 'number', 'boolean', 'not', 'exists', 'count', 'length', 'uppercase', 'lowercase', 'trim',
  'substring', 'substringBefore', 'substringAfter', 'contains', 'join', 'sum', 'max', 'min', 'average',
  'keys', 'abs', 'floor', 'ceil', 'round', 'append', 'lookup', 'type', 'now', 'millis', 'split',
  'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl'
])
/** Variables a bounded expression may read: the context and the output variables. */
const KNOWN_VARIABLES = new Set(['', '$', 'status', 'headers', 'body', 'error'])

interface AstNode {
  type: string
  value?: unknown
  steps?: AstNode[]
  stages?: unknown[]
  group?: unknown
  focus?: unknown
  index?: unknown
  lhs?: AstNode | AstNode[][]
  rhs?: AstNode
  expression?: AstNode
  expressions?: AstNode[]
  condition?: AstNode
  then?: AstNode
  else?: AstNode
  arguments?: AstNode[]
  procedure?: AstNode
}

/**
 * Whether evaluating this AST costs at most (expression size × input size): paths without
 * filters, literals, constructors, arithmetic, comparison, concatenation, conditionals and the
 * linear built-ins. No ranges, lambdas, bindings, sorts, regexes, filters or recursion.
 */
function bounded (node: AstNode | undefined): boolean {
  if (node === undefined) return true
  if (node.stages !== undefined || node.group !== undefined || node.focus !== undefined || node.index !== undefined) return false
  switch (node.type) {
    case 'string': case 'number': case 'value': case 'name': case 'wildcard':
      return true
    case 'variable':
      return KNOWN_VARIABLES.has(node.value as string)
    case 'path':
      return (node.steps ?? []).every(bounded)
    case 'binary':
      return node.value !== '..' && bounded(node.lhs as AstNode) && bounded(node.rhs)
    case 'unary':
      if (node.value === '-') return bounded(node.expression)
      if (node.value === '[') return (node.expressions ?? []).every(bounded)
      if (node.value === '{') return (node.lhs as AstNode[][]).every(([key, value]) => bounded(key) && bounded(value))
      return false
    case 'condition':
      return bounded(node.condition) && bounded(node.then) && bounded(node.else)
    case 'block':
      return (node.expressions ?? []).every(bounded)
    case 'function':
      return node.procedure?.type === 'variable' && LINEAR_FUNCTIONS.has(node.procedure.value as string) && (node.arguments ?? []).every(bounded)
    default:
      return false
  }
}

export const isBoundedExpression = (expression: Expression): boolean => bounded(expression.ast() as unknown as AstNode)

function isTemplate (value: unknown): value is Template {
  const t = (value as { t?: unknown } | null)?.t
  return t === 'lit' || t === 'expr' || t === 'obj' || t === 'arr'
}

function templateBounded (template: Template): boolean {
  switch (template.t) {
    case 'lit': return true
    case 'expr': return isBoundedExpression(template.expression)
    case 'arr': return template.items.every(templateBounded)
    case 'obj': return template.entries.every(([, item]) => templateBounded(item))
  }
}

/** Every template found anywhere in a compiled step's config. */
function templatesIn (value: unknown, found: Template[] = []): Template[] {
  if (isTemplate(value)) found.push(value)
  else if (Array.isArray(value)) for (const item of value) templatesIn(item, found)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) templatesIn(item, found)
  return found
}

/** Steps that only compute: no I/O, no scripts, no loops. */
const PURE_KINDS = new Set(['set', 'if', 'switch', 'end', 'fail'])

/**
 * A scenario whose evaluation is bounded by its size and its input's: safe to evaluate on the
 * server's own thread, skipping the round trip to an evaluation host. Anything that could run
 * long — loops, scripts, I/O, or an expression outside the linear subset — is not.
 */
export function isBoundedScenario (scenario: CompiledScenario): boolean {
  return scenario.steps.every((step) =>
    PURE_KINDS.has(step.kind) &&
    (step.when === undefined || templateBounded(step.when)) &&
    (step.onError === undefined || typeof step.onError === 'string' || step.onError.set.every(([, template]) => templateBounded(template))) &&
    templatesIn(step.config).every(templateBounded))
}
