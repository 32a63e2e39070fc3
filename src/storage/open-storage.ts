import type { DatabaseConfig } from '../config/database.js'
import type { RandStoreOptions } from '../dialects/event/rand-store.js'
import { createRandStore } from '../dialects/event/rand-store.js'
import { createAuditStore } from './audit-store.js'
import { createCollectionStore } from './collection-store.js'
import { sqliteSessionRows } from './console-session-rows.js'
import { createConsoleSessionStore } from './console-session-store.js'
import { openDb, type Db } from './db.js'
import { createEndpointStore } from './endpoint-store.js'
import { createIdempotencyStore } from './idempotency-store.js'
import { migrate } from './migrate.js'
import { createQueueStore } from './queue-store.js'
import { createHistoryWriter } from './history-writer.js'
import { createRunStore } from './run-store.js'
import { writeLockOf } from './write-lock.js'
import type { AuditStore, CollectionStore, ConsoleSessionStore, EndpointStore, IdempotencyStore, QueueStore, RandStore, RunStore } from './types.js'
import type { FinishedRun } from '../runs/types.js'

/** Every store of one hookflow process, on one database. */
export interface Storage {
  runs: RunStore
  queue: QueueStore
  endpoints: EndpointStore
  idempotency: IdempotencyStore
  audit: AuditStore
  consoleSessions: ConsoleSessionStore
  collections: CollectionStore
  rands: RandStore
  /** The SQLite handle (tests and CLI database commands); undefined on PostgreSQL. */
  sqlite: Db | undefined
  /** Whether the database answered its last check (readiness). */
  reachable: () => boolean
  close: () => Promise<void>
}

export interface OpenStorageOptions {
  /** Overrides `database.path` (tests use ':memory:' or a temp file). */
  dbPath?: string
  /** Overrides `database.url`. */
  url?: string
  randid: Pick<RandStoreOptions, 'ttlMs' | 'maxOutstanding'>
}

/** The database could not be opened: said to the operator without a stack trace. */
export class StorageOpenError extends Error {}

/** Where the data lives, for logs: the SQLite path, or the PostgreSQL URL without its password. */
export function databaseLabel (config: Pick<DatabaseConfig, 'path' | 'url'>): string {
  if (config.url === undefined) return config.path
  try {
    const url = new URL(config.url)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return 'postgres (unparsable URL)'
  }
}

/** Opens the configured database and applies pending migrations. */
export async function openStorage (config: DatabaseConfig, options: OpenStorageOptions): Promise<Storage> {
  const url = options.url ?? (options.dbPath === undefined ? config.url : undefined)
  if (url !== undefined) {
    try {
      // Loaded only here: a SQLite server does not hold the PostgreSQL client in memory.
      const { openPostgres } = await import('./postgres/open-postgres.js')
      return await openPostgres(url, config.poolSize, options)
    } catch (err) {
      throw new StorageOpenError(`database.url: cannot use ${databaseLabel({ ...config, url })}: ${(err as Error).message}`)
    }
  }

  const path = options.dbPath ?? config.path
  const db = openDb(path, { synchronous: config.synchronous })
  migrate(db)
  // A database in memory is this connection's alone: no other thread can write it.
  const history = path === ':memory:'
    ? undefined
    : (fallback: (run: FinishedRun) => Promise<void>) => createHistoryWriter({ path, synchronous: config.synchronous, lock: writeLockOf(db), fallback })
  const runs = createRunStore(db, { history })
  const ping = db.prepare('SELECT 1')
  return {
    runs,
    queue: createQueueStore(db),
    endpoints: createEndpointStore(db),
    idempotency: createIdempotencyStore(db, runs),
    audit: createAuditStore(db),
    consoleSessions: createConsoleSessionStore(sqliteSessionRows(db)),
    collections: createCollectionStore(db, runs),
    // One process owns the file: nonces can live in its memory.
    rands: createRandStore(options.randid),
    sqlite: db,
    reachable: () => {
      try {
        ping.get()
        return true
      } catch {
        return false
      }
    },
    close: async () => {
      await runs.close()
      db.close()
    }
  }
}
