import type { OpenStorageOptions, Storage } from '../open-storage.js'
import { createConsoleSessionStore } from '../console-session-store.js'
import { createPgAuditStore } from './audit-store.js'
import { createPgCollectionStore } from './collection-store.js'
import { createPgEndpointStore } from './endpoint-store.js'
import { createPgIdempotencyStore } from './idempotency-store.js'
import { createPgPool } from './pool.js'
import { createPgQueueStore } from './queue-store.js'
import { createPgRandStore } from './rand-store.js'
import { createPgRunStore } from './run-store.js'
import { migratePostgres } from './migrate.js'
import { pgSessionRows } from './console-session-rows.js'

/** How often a PostgreSQL instance checks that its database answers (readiness). */
const PING_EVERY_MS = 2000

/** The stores of one hookflow process on PostgreSQL: a durable pool and a relaxed one. */
export async function openPostgres (url: string, poolSize: number, options: OpenStorageOptions): Promise<Storage> {
  const pool = createPgPool(url, poolSize)
  try {
    await migratePostgres(pool)
  } catch (err) {
    await pool.end().catch(() => {})
    throw err
  }
  // Claims, lease renewals and history (sync run records, async runs' results) need not wait for the
  // disk: losing them in a database crash runs a run again, never loses an acknowledged one.
  // Acknowledged intake, idempotency keys, nonces, records and cancels stay on the durable pool.
  const relaxed = createPgPool(url, Math.max(2, Math.ceil(poolSize / 2)), { relaxed: true })
  let reachable = true
  const pinger = setInterval(() => {
    pool.query('SELECT 1').then(() => { reachable = true }, () => { reachable = false })
  }, PING_EVERY_MS)
  pinger.unref()
  return {
    runs: createPgRunStore(pool, relaxed),
    queue: createPgQueueStore(pool, relaxed),
    endpoints: createPgEndpointStore(pool),
    idempotency: createPgIdempotencyStore(pool),
    audit: createPgAuditStore(pool),
    consoleSessions: createConsoleSessionStore(pgSessionRows(pool)),
    collections: createPgCollectionStore(pool),
    rands: createPgRandStore(pool, options.randid),
    sqlite: undefined,
    reachable: () => reachable,
    close: async () => {
      clearInterval(pinger)
      await Promise.all([pool.end(), relaxed.end()])
    }
  }
}
