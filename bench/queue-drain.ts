import Database from 'better-sqlite3'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

/** Where a hookflow target keeps its runs: its SQLite file, or the PostgreSQL database its instances share. */
export type QueueDatabase = { sqlite: string } | { postgres: string }

export interface DrainFigures {
  /** Runs queued or running when the load stopped. */
  backlog: number
  /** From the end of the load until no run was queued or running. */
  drainSec: number
  /** False when the wait gave up: the following rounds ran beside a busy queue. */
  drained: boolean
}

interface QueueWatch {
  /** Runs queued or running, on every instance together. */
  pending: () => Promise<number>
  close: () => Promise<void>
}

const POLL_MS = 10
const PENDING = "FROM runs WHERE status IN ('queued', 'running')"

/**
 * Watches hookflow's queue by reading its database directly: the bench must not add HTTP
 * requests to the servers it is timing, and with several instances no one of them could say
 * that the others are done. SQLite is opened read-only (WAL lets this reader see each commit
 * without blocking the server's writer); on PostgreSQL one connection of our own counts the rows
 * (`runs_claimable`, a partial index, keeps that cheap).
 */
async function watchQueue (database: QueueDatabase): Promise<QueueWatch> {
  if ('sqlite' in database) {
    const db = new Database(database.sqlite, { readonly: true, fileMustExist: true })
    const count = db.prepare(`SELECT count(*) ${PENDING}`).pluck()
    return { pending: async () => count.get() as number, close: async () => { db.close() } }
  }
  const client = new pg.Client({ connectionString: database.postgres })
  await client.connect()
  return {
    pending: async () => (await client.query<{ n: number }>(`SELECT count(*)::int AS n ${PENDING}`)).rows[0].n,
    close: async () => { await client.end() }
  }
}

export async function waitForDrain (database: QueueDatabase, timeoutMs: number): Promise<DrainFigures> {
  const queue = await watchQueue(database)
  try {
    const started = performance.now()
    const backlog = await queue.pending()
    let pending = backlog
    while (pending > 0 && performance.now() - started < timeoutMs) {
      await sleep(POLL_MS)
      pending = await queue.pending()
    }
    return { backlog, drainSec: (performance.now() - started) / 1000, drained: pending === 0 }
  } finally {
    await queue.close()
  }
}
