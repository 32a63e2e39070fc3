/**
 * Marks JSONata leaves on the arrays it builds as sequences: `sequence`, `keepSingleton`,
 * `outerWrapper`, `tupleStream` and, with a sequence limit set, an own `push` function. JSON
 * ignores them, but a function cannot cross a thread (structured clone refuses it), so they are
 * removed before a value becomes a variable.
 */
const SEQUENCE_MARKERS = ['sequence', 'keepSingleton', 'outerWrapper', 'tupleStream', 'push'] as const

function stripSequenceMarkers (array: unknown[]): void {
  if (!Object.hasOwn(array, 'sequence')) return
  for (const marker of SEQUENCE_MARKERS) delete (array as unknown as Record<string, unknown>)[marker]
}

/**
 * Whether `value`, written as JSON, would take more than `limit` bytes. Walks the value and stops
 * as soon as the limit is passed, so checking a huge result costs no more than the limit. On the
 * way it strips JSONata's sequence markers from the arrays it visits (in place: the value is a
 * fresh expression result), leaving plain data a thread can be sent.
 */
export function plainResultExceeds (value: unknown, limit: number): boolean {
  let total = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const item = stack.pop()
    if (typeof item === 'string') total += item.length + 2
    else if (typeof item === 'number' || typeof item === 'boolean') total += 8
    else if (item === null || item === undefined) total += 4
    else if (Array.isArray(item)) {
      stripSequenceMarkers(item)
      total += 2 + item.length
      for (let i = 0; i < item.length; i++) stack.push(item[i])
    } else if (typeof item === 'object') {
      for (const key of Object.keys(item)) {
        total += key.length + 4
        stack.push((item as Record<string, unknown>)[key])
      }
      total += 2
    }
    if (total > limit) return true
  }
  return false
}
