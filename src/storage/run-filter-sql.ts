import type { RunFilter } from '../runs/types.js'

/**
 * The SELECT of a catalog list page and its arguments: `columns` of the runs that match `filter`,
 * newest first, the page's limit last.
 * `placeholder(n)` is the dialect's n-th parameter (SQLite `?`, PostgreSQL `$n`).
 */
export function runListSql (columns: string, filter: RunFilter, placeholder: (n: number) => string): { sql: string, args: Array<string | number> } {
  const where: string[] = []
  const args: Array<string | number> = []
  const add = (clause: string, value: string | number): void => {
    args.push(value)
    where.push(`${clause} ${placeholder(args.length)}`)
  }
  if (filter.status !== undefined) add('status =', filter.status)
  if (filter.endpoint !== undefined) add('endpoint =', filter.endpoint)
  if (filter.scenario !== undefined) add('scenario =', filter.scenario)
  if (filter.from !== undefined) add('created_at >=', filter.from)
  if (filter.to !== undefined) add('created_at <', filter.to)
  if (filter.parentRunId !== undefined) add('parent_run_id =', filter.parentRunId)
  if (filter.replayOf !== undefined) add('replay_of =', filter.replayOf)
  if (filter.beforeId !== undefined) add('id <', filter.beforeId)
  args.push(filter.limit)
  const sql = `SELECT ${columns} FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${placeholder(args.length)}`
  return { sql, args }
}
