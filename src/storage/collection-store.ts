import type { Statement } from 'better-sqlite3'
import type { FieldType } from '../config/collections.js'
import type { CollectionModel } from '../collections/model.js'
import { quote, syncCollectionTables } from './collection-schema.js'
import type { Db } from './db.js'
import type { SqliteRunStore } from './run-store.js'
import { listSql } from './collection-list-sql.js'
import { runNow } from './tx-work.js'
import { immediately } from './write-lock.js'
import type { CollectionRecord, CollectionStore, CollectionTx, ListQuery } from './types.js'

export type { CollectionRecord, CollectionStore, ListQuery } from './types.js'

function encode (type: FieldType, value: unknown): unknown {
  if (value === undefined || value === null) return null
  switch (type) {
    case 'boolean': return value === true ? 1 : 0
    case 'json': return JSON.stringify(value)
    default: return value
  }
}

function decode (type: FieldType, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null
  switch (type) {
    case 'boolean': return raw === 1
    case 'json': return JSON.parse(raw as string)
    default: return raw
  }
}

/** The operations on one collection's rows, synchronous: usable inside a transaction. */
interface CollectionRows extends CollectionTx {
  insert: (model: CollectionModel, values: CollectionRecord) => CollectionRecord
  update: (model: CollectionModel, id: number, values: CollectionRecord) => CollectionRecord | undefined
  get: (model: CollectionModel, id: number) => CollectionRecord | undefined
  list: (model: CollectionModel, query: ListQuery) => { rows: CollectionRecord[], count: number }
  destroy: (model: CollectionModel, id: number) => CollectionRecord | undefined
  insertRun: (run: Parameters<CollectionTx['insertRun']>[0]) => void
}

/**
 * Records of the configured collections. Every value goes through a bound parameter; the only
 * names in SQL text are table and column names from the validated config.
 */
export function createCollectionStore (db: Db, runs: Pick<SqliteRunStore, 'insertWithin'>): CollectionStore {
  const statements = new Map<string, Statement<unknown[]>>()
  const prepare = (sql: string): Statement<unknown[]> => {
    let statement = statements.get(sql)
    if (statement === undefined) {
      statement = db.prepare<unknown[]>(sql)
      statements.set(sql, statement)
    }
    return statement
  }

  const toRecord = (model: CollectionModel, row: Record<string, unknown>): CollectionRecord => {
    const record: CollectionRecord = {}
    for (const column of model.columns.values()) record[column.name] = decode(column.type, row[column.name])
    return record
  }

  const columnsOf = (model: CollectionModel, values: CollectionRecord): string[] =>
    Object.keys(values).filter((name) => model.columns.has(name))

  const rows: CollectionRows = {
    insert (model, values) {
      const now = new Date().toISOString()
      const full: CollectionRecord = { createdAt: now, updatedAt: now, ...values }
      const names = columnsOf(model, full)
      const sql = `INSERT INTO ${quote(model.table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')}) RETURNING *`
      const row = prepare(sql).get(...names.map((name) => encode(model.columns.get(name)!.type, full[name]))) as Record<string, unknown>
      return toRecord(model, row)
    },
    update (model, id, values) {
      const full: CollectionRecord = { updatedAt: new Date().toISOString(), ...values }
      const names = columnsOf(model, full).filter((name) => name !== 'id')
      const sql = `UPDATE ${quote(model.table)} SET ${names.map((name) => `${quote(name)} = ?`).join(', ')} WHERE id = ? RETURNING *`
      const row = prepare(sql).get(...names.map((name) => encode(model.columns.get(name)!.type, full[name])), id) as Record<string, unknown> | undefined
      return row === undefined ? undefined : toRecord(model, row)
    },
    get (model, id) {
      const row = prepare(`SELECT * FROM ${quote(model.table)} WHERE id = ?`).get(id) as Record<string, unknown> | undefined
      return row === undefined ? undefined : toRecord(model, row)
    },
    list (model, query) {
      const { where, args, orderBy } = listSql(model, query, () => '?', encode)
      const count = (prepare(`SELECT count(*) AS n FROM ${quote(model.table)}${where}`).get(...args) as { n: number }).n
      const found = prepare(`SELECT * FROM ${quote(model.table)}${where} ${orderBy} LIMIT ? OFFSET ?`)
        .all(...args, query.pageSize, (query.page - 1) * query.pageSize) as Array<Record<string, unknown>>
      return { rows: found.map((row) => toRecord(model, row)), count }
    },
    destroy (model, id) {
      const row = prepare(`DELETE FROM ${quote(model.table)} WHERE id = ? RETURNING *`).get(id) as Record<string, unknown> | undefined
      return row === undefined ? undefined : toRecord(model, row)
    },
    insertRun: (run) => { runs.insertWithin(run) }
  }

  return {
    // Driven synchronously inside one immediate transaction: no other write can slip in.
    atomically: async (work) => immediately(db, () => runNow(work(rows))),
    syncTables: async (models) => { syncCollectionTables(db, models) }
  }
}
