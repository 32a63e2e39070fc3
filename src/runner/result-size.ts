/**
 * Whether `value`, written as JSON, would take more than `limit` bytes. Walks the value and stops
 * as soon as the limit is passed, so checking a huge result costs no more than the limit.
 */
export function exceedsBytes (value: unknown, limit: number): boolean {
  let total = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const item = stack.pop()
    if (typeof item === 'string') total += item.length + 2
    else if (typeof item === 'number' || typeof item === 'boolean') total += 8
    else if (item === null || item === undefined) total += 4
    else if (Array.isArray(item)) {
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
