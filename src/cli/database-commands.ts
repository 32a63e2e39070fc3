import { parseArgs } from 'node:util'
import { loadConfig } from '../config/load-config.js'
import { openDb, type Db } from '../storage/db.js'
import { migrate } from '../storage/migrate.js'

export const DATABASE_HELP = `hookflow migrate [--config FILE]     apply pending migrations and exit
hookflow backup FILE [--config FILE]  an online, consistent copy of the database, with progress
hookflow vacuum [--config FILE]      rebuild the database file to reclaim space`

function open (argv: string[], configFallback: string): { db: Db, rest: string[] } {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true, strict: true })
  const { config } = loadConfig(values.config ?? configFallback)
  return { db: openDb(config.database.path, { synchronous: config.database.synchronous }), rest: positionals }
}

export async function migrateCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { db } = open(argv, configFallback)
  try {
    const applied = migrate(db)
    out(applied.length === 0 ? 'database is up to date' : `applied ${applied.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ')}`)
    return 0
  } finally {
    db.close()
  }
}

/** better-sqlite3's online backup: writers go on while pages are copied; the copy is consistent. */
export async function backupCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { db, rest } = open(argv, configFallback)
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
  const { db } = open(argv, configFallback)
  try {
    db.exec('VACUUM')
    out('vacuum done')
    return 0
  } finally {
    db.close()
  }
}
