import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from './db.js'
import { packageRoot } from './package-root.js'

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/

export interface Migration { version: number, name: string, sql: string }

export function readMigrations (dir = join(packageRoot(), 'migrations', 'sqlite')): Migration[] {
  return readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((entry): entry is { file: string, match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version)
}

/** Applies pending forward-only migrations, each in its own transaction; returns those applied. */
export function migrate (db: Db, migrations = readMigrations()): Migration[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  const pending = migrations.filter((migration) => !applied.has(migration.version))
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql)
      record.run(migration.version, migration.name, Date.now())
    }).immediate()
  }
  return pending
}
