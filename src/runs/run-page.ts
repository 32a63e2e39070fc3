/** `rows` holds one more than `limit` when there is a next page: its cursor is the last shown run's id. */
export function pageOf<T> (rows: T[], limit: number, idOf: (row: T) => number): { data: T[], nextCursor: string | null } {
  const data = rows.slice(0, limit)
  return { data, nextCursor: rows.length > limit ? String(idOf(data[data.length - 1])) : null }
}
