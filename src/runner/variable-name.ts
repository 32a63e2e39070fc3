const FORMAT = /^\$?[A-Za-z_][A-Za-z0-9_]*$/
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])

/** Why `name` cannot be a scenario variable, or undefined when it can. */
export function variableNameProblem (name: string): string | undefined {
  if (!FORMAT.test(name)) return 'must be a variable name (letters, digits, _; may start with $)'
  if (RESERVED.has(name)) return 'is a reserved name'
  return undefined
}
