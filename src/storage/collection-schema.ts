import type { FieldType } from '../config/collections.js'
import type { CollectionModel } from '../collections/model.js'
import type { Db } from './db.js'

export const SQL_TYPES: Record<FieldType, string> = {
  string: 'TEXT', text: 'TEXT', integer: 'INTEGER', number: 'REAL', boolean: 'INTEGER', date: 'TEXT', json: 'TEXT'
}

/** Names were validated as plain identifiers; quoting keeps SQL keywords (`order`, `group`) usable. */
export const quote = (identifier: string): string => `"${identifier}"`

export class CollectionSchemaError extends Error {}

/** Refuses a field whose stored type differs from the config's, rather than misreading its data. */
export function assertSameType (collection: string, field: string, stored: string | undefined, configured: string): void {
  if (stored === undefined || stored === configured) return
  throw new CollectionSchemaError(`collections.${collection}: field "${field}" is stored as ${stored} but the config says ${configured}; rename the field or migrate its data by hand`)
}

/**
 * Brings the collection tables in line with the config, in one transaction: new tables and
 * columns are added; nothing is ever dropped (a removed field keeps its column and data); a field
 * whose type changed stops start-up rather than misreading what is stored.
 */
export function syncCollectionTables (db: Db, models: ReadonlyMap<string, CollectionModel>): void {
  const known = db.prepare('SELECT column_name, type FROM collection_columns WHERE collection = ?')
  const remember = db.prepare('INSERT OR REPLACE INTO collection_columns (collection, column_name, type) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (const model of models.values()) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${quote(model.table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL)`)
      const existing = new Set((db.prepare(`PRAGMA table_info(${quote(model.table)})`).all() as Array<{ name: string }>).map((column) => column.name))
      const recorded = new Map((known.all(model.name) as Array<{ column_name: string, type: string }>).map((row) => [row.column_name, row.type]))
      for (const column of model.columns.values()) {
        assertSameType(model.name, column.name, recorded.get(column.name), column.type)
        if (!existing.has(column.name)) db.exec(`ALTER TABLE ${quote(model.table)} ADD COLUMN ${quote(column.name)} ${SQL_TYPES[column.type]}`)
        remember.run(model.name, column.name, column.type)
      }
    }
  }).immediate()
}
