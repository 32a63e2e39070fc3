import Database from 'better-sqlite3'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

export interface DrainFigures {
  /** Runs queued or running when the load stopped. */
  backlog: number
  /** From the end of the load until no run was queued or running. */
  drainSec: number
  /** False when the wait gave up: the following rounds ran beside a busy queue. */
  drained: boolean
}

const POLL_MS = 10

/**
 * Watches hookflow's queue by reading its SQLite file directly, read-only: the bench must not add
 * HTTP requests to the server it is timing. WAL lets this reader see each commit without blocking
 * the server's writer.
 */
export function watchQueue (dbPath: string): { pending: () => number, close: () => void } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  const count = db.prepare("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')").pluck()
  return { pending: () => count.get() as number, close: () => db.close() }
}

export async function waitForDrain (dbPath: string, timeoutMs: number): Promise<DrainFigures> {
  const queue = watchQueue(dbPath)
  try {
    const started = performance.now()
    const backlog = queue.pending()
    let pending = backlog
    while (pending > 0 && performance.now() - started < timeoutMs) {
      await sleep(POLL_MS)
      pending = queue.pending()
    }
    return { backlog, drainSec: (performance.now() - started) / 1000, drained: pending === 0 }
  } finally {
    queue.close()
  }
}
