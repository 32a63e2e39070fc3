import type { FieldType } from '../config/collections.js'
import type { CollectionModel } from '../collections/model.js'
import { quote } from './collection-schema.js'
import type { ListQuery } from './types.js'

export interface ListSql {
  /** ` WHERE …`, or empty. */
  where: string
  /** Values for the WHERE placeholders, in order. */
  args: unknown[]
  /** `ORDER BY …` with the record id as tie-break, so pages never overlap. */
  orderBy: string
}

/**
 * The filter and sort of a list action, for either database: `bind` writes the placeholder of the
 * n-th value, `encode` turns a value into what that database stores. Unknown columns are ignored.
 */
export function listSql (model: CollectionModel, query: ListQuery, bind: (position: number, type: FieldType) => string, encode: (type: FieldType, value: unknown) => unknown): ListSql {
  const conditions: string[] = []
  const args: unknown[] = []
  for (const [name, value] of Object.entries(query.filter ?? {})) {
    const column = model.columns.get(name)
    if (column === undefined) continue
    if (value === null) conditions.push(`${quote(name)} IS NULL`)
    else {
      args.push(encode(column.type, value))
      conditions.push(`${quote(name)} = ${bind(args.length, column.type)}`)
    }
  }
  const descending = query.sort?.startsWith('-') === true
  const sortColumn = query.sort?.replace(/^-/, '')
  const column = sortColumn !== undefined && model.columns.has(sortColumn) ? quote(sortColumn) : 'id'
  return {
    where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '',
    args,
    orderBy: `ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}, id ASC`
  }
}
