/** `prepare(key)` once per distinct key, on first use: statements that vary with a filter or a skip list. */
export function preparedOnce<K, T> (prepare: (key: K) => T): (key: K) => T {
  const prepared = new Map<K, T>()
  return (key) => {
    let statement = prepared.get(key)
    if (statement === undefined) {
      statement = prepare(key)
      prepared.set(key, statement)
    }
    return statement
  }
}
