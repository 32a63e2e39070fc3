/**
 * `compute(key)` once per distinct key, on first use. Unbounded by default, for keys the server
 * makes itself (SQL that varies with a filter or a skip list); with `maxKeys`, for keys a caller
 * chooses (a header's text), the cache is emptied when it is full rather than grown.
 */
export function oncePerKey<K, T> (compute: (key: K) => T, maxKeys = Infinity): (key: K) => T {
  const seen = new Map<K, T>()
  return (key) => {
    let value = seen.get(key)
    if (value === undefined) {
      value = compute(key)
      if (seen.size >= maxKeys) seen.clear()
      seen.set(key, value)
    }
    return value
  }
}
