/** JSONata's `$boolean` cast, used for `if` conditions and `when` guards. */
export function toBoolean (value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value.length > 0
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  if (typeof value === 'function') return false
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0])
    return value.some((item) => toBoolean(item))
  }
  if (typeof value === 'object') return Object.keys(value).length > 0
  return Boolean(value)
}
