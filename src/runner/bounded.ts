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
/**
 * Built-ins a `$map`/`$filter` lambda may call, with one argument: each costs at most its
 * argument's size, and none reaches for the context (the whole input) when handed one argument
 * of the wrong type (test/runner/bounded.test.ts tries every one with every kind of value).
 */
export const LAMBDA_FUNCTIONS = new Set([
  'string', 'number', 'boolean', 'not', 'exists', 'count', 'length', 'uppercase', 'lowercase', 'trim',
  'sum', 'max', 'min', 'average', 'abs', 'floor', 'ceil', 'round', 'type'
])

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
  predicate?: unknown
  thunk?: boolean
  body?: AstNode
  signature?: unknown
}

/**
 * Whether evaluating this AST costs at most (expression size × input size): paths without
 * filters, literals, constructors, arithmetic, comparison, concatenation, conditionals, the
 * linear built-ins and `$map`/`$filter` with a lambda that only looks at its item. No ranges,
 * other lambdas, bindings, sorts, regexes, filters or recursion.
 */
function bounded (node: AstNode | undefined): boolean {
  if (node === undefined) return true
  if (hasFilterOrGrouping(node)) return false
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
    case 'function': {
      const name = node.procedure?.type === 'variable' ? node.procedure.value as string : undefined
      if (name === 'map' || name === 'filter') return mapsWithItemBoundedLambda(node.arguments ?? [])
      return name !== undefined && LINEAR_FUNCTIONS.has(name) && (node.arguments ?? []).every(bounded)
    }
    default:
      return false
  }
}

/** Filters (`[…]` after a step or any other expression), grouping, focus and index bindings. */
function hasFilterOrGrouping (node: AstNode): boolean {
  return node.stages !== undefined || node.predicate !== undefined || node.group !== undefined || node.focus !== undefined || node.index !== undefined
}

/**
 * `$map(array, function($v[, $i]) { … })` or `$filter(…)`: linear when the lambda's body costs
 * at most the size of the one item it is given — it reads nothing but its own parameters (the
 * context or an outer variable, read once per item, would make it quadratic) and calls only
 * one-argument built-ins from LAMBDA_FUNCTIONS. Three parameters would hand it the whole array.
 */
function mapsWithItemBoundedLambda (args: AstNode[]): boolean {
  if (args.length !== 2 || !bounded(args[0])) return false
  const lambda = args[1]
  if (lambda.type !== 'lambda' || lambda.signature !== undefined || hasFilterOrGrouping(lambda)) return false
  const params = lambda.arguments ?? []
  if (params.length < 1 || params.length > 2 || !params.every((param) => param.type === 'variable')) return false
  const names = new Set(params.map((param) => param.value as string))
  // A parameter named like a built-in would be called in its place.
  if ([...names].some((name) => LAMBDA_FUNCTIONS.has(name))) return false
  return itemBounded(lambda.body, names)
}

function isTailCallThunk (node: AstNode): boolean {
  return node.thunk === true && node.arguments?.length === 0 && node.signature === undefined
}

function itemBounded (node: AstNode | undefined, params: ReadonlySet<string>): boolean {
  if (node === undefined) return true
  if (hasFilterOrGrouping(node)) return false
  switch (node.type) {
    case 'string': case 'number': case 'value':
      return true
    case 'variable':
      return params.has(node.value as string)
    case 'path': {
      // From a parameter, through names: `$v.price`.
      const [first, ...rest] = node.steps ?? []
      return first?.type === 'variable' && params.has(first.value as string) &&
        rest.every((step) => step.type === 'name' && !hasFilterOrGrouping(step))
    }
    case 'binary':
      return node.value !== '..' && itemBounded(node.lhs as AstNode, params) && itemBounded(node.rhs, params)
    case 'unary':
      return node.value === '-' && itemBounded(node.expression, params)
    case 'condition':
      return itemBounded(node.condition, params) && itemBounded(node.then, params) && itemBounded(node.else, params)
    case 'function':
      return node.procedure?.type === 'variable' && LAMBDA_FUNCTIONS.has(node.procedure.value as string) &&
        node.arguments?.length === 1 && itemBounded(node.arguments[0], params)
    case 'lambda':
      // A call in tail position, which JSONata's parser wraps for its trampoline.
      return isTailCallThunk(node) && itemBounded(node.body, params)
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
