import type { FieldType } from '../../config/collections.js'
import type { CollectionModel } from '../../collections/model.js'
import { assertSameType, quote } from '../collection-schema.js'
import { listSql } from '../collection-list-sql.js'
import { runInOrder } from '../tx-work.js'
import type { CollectionRecord, CollectionStore, CollectionTx } from '../types.js'
import { inTransaction, type PgClient, type PgPool } from './pool.js'
import { runRow } from '../run-row.js'
import { insertRuns } from './run-store.js'

const PG_TYPES: Record<FieldType, string> = {
  string: 'TEXT', text: 'TEXT', integer: 'BIGINT', number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'TEXT', json: 'JSONB'
}
/** Instances starting together bring the tables in line one at a time. */
const SCHEMA_LOCK = 4_801_562_118

const encode = (type: FieldType, value: unknown): unknown =>
  value === undefined || value === null ? null : type === 'json' ? JSON.stringify(value) : value

/** Rows of one transaction, on its client. Values are bound parameters; names come from the validated config. */
function rowsOn (client: PgClient): CollectionTx {
  const toRecord = (model: CollectionModel, row: Record<string, unknown>): CollectionRecord => {
    const record: CollectionRecord = {}
    for (const column of model.columns.values()) record[column.name] = row[column.name] ?? null
    return record
  }
  const columnsOf = (model: CollectionModel, values: CollectionRecord): string[] => Object.keys(values).filter((name) => model.columns.has(name))
  const params = (model: CollectionModel, names: string[], values: CollectionRecord): unknown[] => names.map((name) => encode(model.columns.get(name)!.type, values[name]))
  const one = async (model: CollectionModel, sql: string, args: unknown[]): Promise<CollectionRecord | undefined> => {
    const { rows } = await client.query<Record<string, unknown>>(sql, args)
    return rows.length === 0 ? undefined : toRecord(model, rows[0])
  }

  return {
    async insert (model, values) {
      const now = new Date().toISOString()
      const full: CollectionRecord = { createdAt: now, updatedAt: now, ...values }
      const names = columnsOf(model, full)
      const sql = `INSERT INTO ${quote(model.table)} (${names.map(quote).join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`
      return (await one(model, sql, params(model, names, full)))!
    },
    async update (model, id, values) {
      const full: CollectionRecord = { updatedAt: new Date().toISOString(), ...values }
      const names = columnsOf(model, full).filter((name) => name !== 'id')
      const sql = `UPDATE ${quote(model.table)} SET ${names.map((name, i) => `${quote(name)} = $${i + 1}`).join(', ')} WHERE id = $${names.length + 1} RETURNING *`
      return await one(model, sql, [...params(model, names, full), id])
    },
    get: async (model, id) => await one(model, `SELECT * FROM ${quote(model.table)} WHERE id = $1`, [id]),
    async list (model, query) {
      const { where, args, orderBy } = listSql(model, query, (n, type) => type === 'json' ? `$${n}::jsonb` : `$${n}`, encode)
      const count = (await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${quote(model.table)}${where}`, args)).rows[0].n
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT * FROM ${quote(model.table)}${where} ${orderBy} LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
        [...args, query.pageSize, (query.page - 1) * query.pageSize])
      return { rows: rows.map((row) => toRecord(model, row)), count }
    },
    destroy: async (model, id) => await one(model, `DELETE FROM ${quote(model.table)} WHERE id = $1 RETURNING *`, [id]),
    insertRun: async (run) => { await insertRuns(client, [runRow(run)]) }
  }
}

/** Collection records on PostgreSQL: the same tables and checks as SQLite, with native types. */
export function createPgCollectionStore (pool: PgPool): CollectionStore {
  return {
    atomically: async (work) => await inTransaction(pool, async (client) => await runInOrder(work(rowsOn(client)))),

    syncTables: async (models) => await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK])
      for (const model of models.values()) {
        await client.query(`CREATE TABLE IF NOT EXISTS ${quote(model.table)} (id BIGSERIAL PRIMARY KEY, "createdAt" TEXT NOT NULL, "updatedAt" TEXT NOT NULL)`)
        const existing = new Set((await client.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [model.table])).rows.map((row) => row.column_name))
        const recorded = new Map((await client.query<{ column_name: string, type: string }>(
          'SELECT column_name, type FROM collection_columns WHERE collection = $1', [model.name])).rows.map((row) => [row.column_name, row.type]))
        for (const column of model.columns.values()) {
          assertSameType(model.name, column.name, recorded.get(column.name), column.type)
          if (!existing.has(column.name)) await client.query(`ALTER TABLE ${quote(model.table)} ADD COLUMN ${quote(column.name)} ${PG_TYPES[column.type]}`)
          await client.query(`INSERT INTO collection_columns (collection, column_name, type) VALUES ($1, $2, $3)
            ON CONFLICT (collection, column_name) DO UPDATE SET type = excluded.type`, [model.name, column.name, column.type])
        }
      }
    })
  }
}
