import { join } from 'node:path'
import { readMigrations, type Migration } from '../migrate.js'
import { packageRoot } from '../package-root.js'
import type { PgPool } from './pool.js'

/** Any constant shared by every hookflow instance: the key of the migration advisory lock. */
const MIGRATION_LOCK = 4_801_562_117

export const postgresMigrations = (): Migration[] => readMigrations(join(packageRoot(), 'migrations', 'postgres'))

/**
 * Applies pending forward-only migrations, each in its own transaction, under a session advisory
 * lock: instances starting together wait for the first one instead of racing it.
 */
export async function migratePostgres (pool: PgPool, migrations = postgresMigrations()): Promise<Migration[]> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((row) => row.version))
    const pending = migrations.filter((migration) => !applied.has(migration.version))
    for (const migration of pending) {
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${migration.version}_${migration.name} failed: ${(err as Error).message}`)
      }
    }
    return pending
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
}
