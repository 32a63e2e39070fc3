import type { Vars } from './types.js'

/**
 * What a shortcut answers when a value is outside what it knows how to treat exactly as JSONata
 * does (an array to map over, a type JSONata would refuse, a number JSON cannot hold): JSONata
 * itself evaluates the expression then.
 */
export const ASK_JSONATA = Symbol('ask JSONata')

/**
 * An expression evaluated synchronously, without JSONata's evaluator: for the simple expressions
 * most scenarios are made of, JSONata's asynchronous walk allocated ~20 kB and took most of the
 * evaluation's time (docs/performance.md). Answers either what JSONata would, or ASK_JSONATA.
 */
export interface Shortcut {
  evaluate: (vars: Vars) => unknown
  /** The answer is a value that exists already (a path's or a variable's): nothing new to measure. */
  picksExisting: boolean
}

interface Node {
  type: string
  value?: unknown
  [key: string]: unknown
}

/** Lambda parameters in scope while a body is evaluated. */
type Scope = Record<string, unknown> | undefined
type Evaluate = (context: unknown, vars: Vars, scope: Scope) => unknown

/** The output variables JSONata sees as `$status`, `$headers`, `$body`, `$error` (expressions.ts binds them). */
const BOUND = new Set(['status', 'headers', 'body', 'error'])
/** Keys every node may carry without changing what it means. */
const NEUTRAL = new Set(['type', 'value', 'position'])

/** A node with nothing beyond the keys we read: no predicate, grouping, focus, keepArray or the like. */
function only (node: Node, ...keys: string[]): boolean {
  return Object.keys(node).every((key) => NEUTRAL.has(key) || keys.includes(key) || node[key] === undefined)
}

/**
 * JSONata's `$string` of a value, for the values it is short for: strings, booleans, null and
 * finite numbers (non-integers to 15 significant digits).
 */
function stringOf (value: unknown): string | typeof ASK_JSONATA {
  switch (typeof value) {
    case 'string': return value
    case 'boolean': return String(value)
    case 'number':
      if (!Number.isFinite(value)) return ASK_JSONATA
      return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)))
    case 'object': return value === null ? 'null' : ASK_JSONATA
    default: return ASK_JSONATA
  }
}

/**
 * Follows names through plain objects, as a JSONata path does. A step into an array has
 * JSONata's sequence semantics (mapping, flattening): that is JSONata's to answer. An array the
 * path ends on JSONata returns as it is, nested or singleton (test/runner/bounded.test.ts holds
 * the two to the same answers).
 */
function followNames (start: unknown, names: readonly string[]): unknown {
  let current = start
  for (const name of names) {
    if (Array.isArray(current)) return ASK_JSONATA
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) return undefined
    current = (current as Record<string, unknown>)[name]
  }
  return current
}

function isPrimitive (value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '%': (a, b) => a % b
}
const ORDER: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b
}

function binary (node: Node, params: ReadonlySet<string>): Evaluate | undefined {
  if (!only(node, 'lhs', 'rhs')) return undefined
  const lhs = compile(node.lhs as Node, params)
  const rhs = compile(node.rhs as Node, params)
  if (lhs === undefined || rhs === undefined) return undefined
  const op = node.value as string
  const arithmetic = ARITHMETIC[op]
  if (arithmetic !== undefined) {
    return (c, v, s) => {
      const a = lhs(c, v, s)
      const b = rhs(c, v, s)
      if (typeof a !== 'number' || typeof b !== 'number') return ASK_JSONATA
      const result = arithmetic(a, b)
      return Number.isFinite(result) ? result : ASK_JSONATA
    }
  }
  const order = ORDER[op]
  if (order !== undefined) {
    return (c, v, s) => {
      const a = lhs(c, v, s)
      const b = rhs(c, v, s)
      if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return order(a, b)
      return ASK_JSONATA
    }
  }
  switch (op) {
    case '&': return (c, v, s) => {
      const a = lhs(c, v, s)
      const b = rhs(c, v, s)
      const left = a === undefined ? '' : stringOf(a)
      const right = b === undefined ? '' : stringOf(b)
      return left === ASK_JSONATA || right === ASK_JSONATA ? ASK_JSONATA : left + right
    }
    case '=': case '!=': return (c, v, s) => {
      const a = lhs(c, v, s)
      const b = rhs(c, v, s)
      if (a === ASK_JSONATA || b === ASK_JSONATA) return ASK_JSONATA
      // JSONata: either side missing makes both = and != false.
      if (a === undefined || b === undefined) return false
      if (!isPrimitive(a) || !isPrimitive(b)) return ASK_JSONATA
      return op === '=' ? a === b : a !== b
    }
    case 'and': case 'or': return (c, v, s) => {
      const a = lhs(c, v, s)
      if (typeof a !== 'boolean') return ASK_JSONATA
      if (op === 'and' ? !a : a) return a
      const b = rhs(c, v, s)
      return typeof b === 'boolean' ? b : ASK_JSONATA
    }
    default: return undefined
  }
}

function path (node: Node, params: ReadonlySet<string>): Evaluate | undefined {
  if (!only(node, 'steps')) return undefined
  const steps = node.steps as Node[]
  if (!steps.every((step, i) => only(step) && (step.type === 'name' || (i === 0 && step.type === 'variable')))) return undefined
  const names = steps.map((step) => step.value as string)
  if (steps[0].type === 'name') return (c) => followNames(c, names)
  const start = variable(steps[0], params)
  if (start === undefined) return undefined
  const rest = names.slice(1)
  return (c, v, s) => {
    const value = start(c, v, s)
    return value === ASK_JSONATA ? value : followNames(value, rest)
  }
}

function variable (node: Node, params: ReadonlySet<string>): Evaluate | undefined {
  const name = node.value as string
  if (params.has(name)) return (_c, _v, s) => s![name]
  if (name === '') return (c) => c
  if (name === '$') return (_c, v) => v
  if (BOUND.has(name)) {
    const key = `$${name}`
    return (_c, v) => v[key]
  }
  return undefined
}

/** `function($v[, $i]) { … }`: the parameter names, when the lambda is one a shortcut can apply. */
function lambdaParams (node: Node): string[] | undefined {
  if (node.type !== 'lambda' || !only(node, 'arguments', 'body')) return undefined
  const params = node.arguments as Node[]
  if (params.length < 1 || params.length > 2 || !params.every((param) => param.type === 'variable' && only(param))) return undefined
  return params.map((param) => param.value as string)
}

/** JSONata's end of evaluation for a sequence it built: none is undefined, one is that one. */
function sequenceResult (items: unknown[]): unknown {
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : items
}

/** `$map` and `$filter` with a lambda: the array must be one, and each answer what the shortcut knows. */
function higherOrder (name: 'map' | 'filter', args: Node[], params: ReadonlySet<string>): Evaluate | undefined {
  if (args.length !== 2) return undefined
  const array = compile(args[0], params)
  const names = lambdaParams(args[1])
  if (array === undefined || names === undefined) return undefined
  // The body sees its own parameters only (an outer one would need the scope chain).
  const body = compile(args[1].body as Node, new Set(names))
  if (body === undefined) return undefined
  const [item, index] = names
  return (c, v, s) => {
    const items = array(c, v, s)
    if (!Array.isArray(items)) return ASK_JSONATA
    const out: unknown[] = []
    for (let i = 0; i < items.length; i++) {
      const scope: Record<string, unknown> = { [item]: items[i] }
      if (index !== undefined) scope[index] = i
      const answer = body(c, v, scope)
      if (name === 'map') {
        // An array answer would nest or flatten by sequence rules: JSONata's to say.
        if (answer === ASK_JSONATA || Array.isArray(answer)) return ASK_JSONATA
        if (answer !== undefined) out.push(answer)
      } else {
        if (typeof answer !== 'boolean') return ASK_JSONATA
        if (answer) out.push(items[i])
      }
    }
    return sequenceResult(out)
  }
}

/** Built-ins called with one argument, for the values they are short for. */
const UNARY_FUNCTIONS: Record<string, (value: unknown) => unknown> = {
  string: (value) => value === undefined ? undefined : stringOf(value),
  sum: (value) => {
    if (!Array.isArray(value)) return ASK_JSONATA
    let total = 0
    for (const item of value) {
      if (typeof item !== 'number') return ASK_JSONATA
      total += item
    }
    return Number.isFinite(total) ? total : ASK_JSONATA
  },
  count: (value) => value === undefined ? 0 : Array.isArray(value) ? value.length : ASK_JSONATA,
  exists: (value) => value !== undefined,
  not: (value) => typeof value === 'boolean' ? !value : ASK_JSONATA,
  uppercase: (value) => value === undefined ? undefined : typeof value === 'string' ? value.toUpperCase() : ASK_JSONATA,
  lowercase: (value) => value === undefined ? undefined : typeof value === 'string' ? value.toLowerCase() : ASK_JSONATA
}

function call (node: Node, params: ReadonlySet<string>): Evaluate | undefined {
  if (!only(node, 'arguments', 'procedure')) return undefined
  const procedure = node.procedure as Node
  if (procedure.type !== 'variable' || !only(procedure)) return undefined
  const name = procedure.value as string
  // A parameter named like a built-in would be called instead of it.
  if (params.has(name)) return undefined
  const args = node.arguments as Node[]
  if (name === 'map' || name === 'filter') return higherOrder(name, args, params)
  const fn = UNARY_FUNCTIONS[name]
  if (fn === undefined || args.length !== 1) return undefined
  const arg = compile(args[0], params)
  if (arg === undefined) return undefined
  return (c, v, s) => {
    const value = arg(c, v, s)
    return value === ASK_JSONATA ? value : fn(value)
  }
}

function compile (node: Node, params: ReadonlySet<string>): Evaluate | undefined {
  switch (node.type) {
    case 'string': case 'number': case 'value': {
      if (!only(node)) return undefined
      const value = node.value
      return () => value
    }
    case 'variable': return only(node) ? variable(node, params) : undefined
    case 'path': return path(node, params)
    case 'binary': return binary(node, params)
    case 'unary': {
      if (node.value !== '-' || !only(node, 'expression')) return undefined
      const operand = compile(node.expression as Node, params)
      if (operand === undefined) return undefined
      return (c, v, s) => {
        const value = operand(c, v, s)
        return typeof value === 'number' ? -value : ASK_JSONATA
      }
    }
    case 'condition': {
      if (!only(node, 'condition', 'then', 'else')) return undefined
      const condition = compile(node.condition as Node, params)
      const then = compile(node.then as Node, params)
      const otherwise = node.else === undefined ? () => undefined : compile(node.else as Node, params)
      if (condition === undefined || then === undefined || otherwise === undefined) return undefined
      return (c, v, s) => {
        const test = condition(c, v, s)
        if (typeof test !== 'boolean') return ASK_JSONATA
        return test ? then(c, v, s) : otherwise(c, v, s)
      }
    }
    case 'function': return call(node, params)
    case 'lambda':
      // A call in tail position, which JSONata's parser wraps for its trampoline: its value is the call's.
      return node.thunk === true && (node.arguments as Node[]).length === 0 && only(node, 'thunk', 'arguments', 'body')
        ? compile(node.body as Node, params)
        : undefined
    default: return undefined
  }
}

/** The shortcut for an expression's AST, or undefined when the expression is outside what shortcuts cover. */
export function shortcutOf (ast: unknown): Shortcut | undefined {
  const node = ast as Node
  const evaluate = compile(node, new Set())
  if (evaluate === undefined) return undefined
  return { evaluate: (vars) => evaluate(vars, vars, undefined), picksExisting: node.type === 'path' || node.type === 'variable' }
}
