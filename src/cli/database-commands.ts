import { parseArgs } from 'node:util'
import { loadConfig } from '../config/load-config.js'
import { openDb, type Db } from '../storage/db.js'
import { migrate, type Migration } from '../storage/migrate.js'
import { migratePostgres } from '../storage/postgres/migrate.js'
import { createPgPool } from '../storage/postgres/pool.js'
import type { DatabaseConfig } from '../config/database.js'

export const DATABASE_HELP = `hookflow migrate [--config FILE]     apply pending migrations and exit
hookflow backup FILE [--config FILE]  an online, consistent copy of the database, with progress
hookflow vacuum [--config FILE]      rebuild the database file to reclaim space`

function configOf (argv: string[], configFallback: string): { database: DatabaseConfig, rest: string[] } {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true, strict: true })
  return { database: loadConfig(values.config ?? configFallback).config.database, rest: positionals }
}

/** The file commands work on SQLite only; PostgreSQL has its own tools for both. */
function open (argv: string[], configFallback: string, command: string): { db: Db, rest: string[] } {
  const { database, rest } = configOf(argv, configFallback)
  if (database.url !== undefined) throw new Error(`hookflow ${command} works on the SQLite file; on PostgreSQL use ${command === 'backup' ? 'pg_dump' : 'VACUUM (autovacuum runs by default)'}`)
  return { db: openDb(database.path, { synchronous: database.synchronous }), rest }
}

const describe = (applied: Migration[]): string =>
  applied.length === 0 ? 'database is up to date' : `applied ${applied.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ')}`

export async function migrateCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { database } = configOf(argv, configFallback)
  if (database.url !== undefined) {
    const pool = createPgPool(database.url, 2)
    try {
      out(describe(await migratePostgres(pool)))
      return 0
    } finally {
      await pool.end()
    }
  }
  const db = openDb(database.path, { synchronous: database.synchronous })
  try {
    out(describe(migrate(db)))
    return 0
  } finally {
    db.close()
  }
}

/** better-sqlite3's online backup: writers go on while pages are copied; the copy is consistent. */
export async function backupCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { db, rest } = open(argv, configFallback, 'backup')
  const target = rest[0]
  if (target === undefined) {
    db.close()
    out(DATABASE_HELP)
    return 2
  }
  try {
    await db.backup(target, {
      progress ({ totalPages, remainingPages }) {
        out(`backup: ${totalPages - remainingPages}/${totalPages} pages`)
        return 100
      }
    })
    out(`backup written to ${target}`)
    return 0
  } finally {
    db.close()
  }
}

export async function vacuumCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { db } = open(argv, configFallback, 'vacuum')
  try {
    db.exec('VACUUM')
    out('vacuum done')
    return 0
  } finally {
    db.close()
  }
}
