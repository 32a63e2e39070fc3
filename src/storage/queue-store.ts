import type { RunError } from '../runner/types.js'
import { SUMMARY_COLUMNS, toClaimed, type ClaimRow } from './run-row.js'
import type { Db } from './db.js'
import { keyedRows } from './keyed-rows.js'
import { oncePerKey } from '../once-per-key.js'
import { immediately } from './write-lock.js'
import type { ClaimedRun, QueueStore, Saturated } from './types.js'

export type { ClaimedRun, QueueStore, Saturated } from './types.js'

/**
 * The run queue's SQL. Claims are one immediate transaction (`UPDATE … RETURNING`), so two claims
 * can never take the same run; a run whose lease ran out is claimable again, as its next attempt.
 */
export function createQueueStore (db: Db): QueueStore {
  // One pair of statements per length of the skip list.
  const claimSql = oncePerKey((saturated: number) => {
    const skip = Array.from({ length: saturated }, () => 'AND NOT (kind = ? AND endpoint IS ?)').join(' ')
    // Two index walks (status, id) that stop at `limit`. Merged in SQL with an outer ORDER BY and
    // LIMIT, SQLite sorted both halves through temporary B-trees: ~230 µs against ~28 µs without,
    // with 20 000 runs queued, and the whole claim ~1.6 against ~0.9 ms (docs/performance.md).
    // One OR over both states would read every queued run and sort them, at every claim.
    const due = db.prepare<unknown[]>(`SELECT id FROM (SELECT id FROM runs WHERE status = 'queued' AND available_at <= @now ${skip} ORDER BY id LIMIT @limit)
        UNION ALL
        SELECT id FROM (SELECT id FROM runs WHERE status = 'running' AND lease_until < @now ${skip} ORDER BY id LIMIT @limit)`).pluck()
    const take = keyedRows<ClaimRow>(db.prepare<unknown[]>(`UPDATE runs SET
        attempt = CASE WHEN status = 'running' THEN attempt + 1 ELSE attempt END,
        status = 'running', started_at = @now, lease_until = @leaseUntil
      WHERE id IN (SELECT value FROM json_each(@ids))
      RETURNING ${SUMMARY_COLUMNS}, input, max_attempts, backoff_ms, max_backoff_ms`))
    /** Inside the claim's transaction, so no other writer can change a run between the two. */
    return (now: number, leaseUntil: number, limit: number, skipped: unknown[]): ClaimRow[] => {
      let ids = due.all({ now, limit }, ...skipped) as number[]
      if (ids.length === 0) return []
      if (ids.length > limit) ids = ids.sort((a, b) => a - b).slice(0, limit)
      return take({ now, leaseUntil, ids: JSON.stringify(ids) })
    }
  })
  const renew = db.prepare("UPDATE runs SET lease_until = ? WHERE id = ? AND status = 'running'")
  const retryLater = db.prepare(`UPDATE runs SET status = 'queued', attempt = attempt + 1, available_at = ?, lease_until = NULL,
    error = ?, steps = ? WHERE id = ? AND status = 'running'`)
  const release = db.prepare("UPDATE runs SET status = 'queued', lease_until = NULL, available_at = 0 WHERE id = ? AND status = 'running'")
  // A run its process died in counts that try as an attempt.
  const releaseAll = db.prepare("UPDATE runs SET status = 'queued', attempt = attempt + 1, lease_until = NULL, available_at = 0 WHERE status = 'running'")
  const cancelQueued = db.prepare("UPDATE runs SET status = 'cancelled', finished_at = ?, error = ? WHERE id = ? AND status = 'queued' RETURNING id")
  const cancelAbandoned = db.prepare("UPDATE runs SET status = 'cancelled', finished_at = ?, error = ? WHERE id = ? AND status = 'running' AND lease_until < ? RETURNING id")
  const queued = db.prepare("SELECT count(*) FROM runs WHERE status = 'queued'").pluck()
  const oldest = db.prepare("SELECT min(created_at) FROM runs WHERE status = 'queued'").pluck()
  const statusOf = db.prepare('SELECT status FROM runs WHERE id = ?').pluck()

  return {
    /** Takes up to `limit` due runs for this process, leased until `leaseUntil`. */
    claim: async (now: number, leaseUntil: number, limit: number, saturated: Saturated[] = []): Promise<ClaimedRun[]> => {
      const skipped = saturated.flatMap(({ kind, endpoint }) => [kind, endpoint])
      // The skip list appears in both halves of the claim.
      const args = [...skipped, ...skipped]
      const rows = immediately(db, () => claimSql(saturated.length)(now, leaseUntil, limit, args))
      return rows.map(toClaimed)
    },

    /** Extends the leases of runs still executing here. */
    renew: async (ids: number[], leaseUntil: number): Promise<number[]> => {
      immediately(db, () => { for (const id of ids) renew.run(leaseUntil, id) })
      return []
    },

    /** A failed attempt with attempts left: back to the queue, due at `availableAt`. */
    retryLater: async (id: number, availableAt: number, error: RunError, steps: unknown): Promise<void> => {
      retryLater.run(availableAt, JSON.stringify(error), JSON.stringify(steps), id)
    },

    /** Hands an unfinished run back to the queue (shutdown), to run again from the start. */
    release: async (id: number): Promise<void> => { release.run(id) },

    /** At start of the only process on this database: whatever was running died with the last one. */
    releaseAll: async (): Promise<number> => releaseAll.run().changes,

    /** Cancels a run that is queued, or running under a lease nobody renews; false otherwise. */
    cancelWaiting: async (id: number, now: number, reason: RunError): Promise<boolean> => {
      const error = JSON.stringify(reason)
      return cancelQueued.get(now, error, id) !== undefined || cancelAbandoned.get(now, error, id, now) !== undefined
    },

    // One process per SQLite file: a run not executing here executes nowhere.
    requestCancel: async () => false,

    depth: async (): Promise<number> => queued.get() as number,

    oldestQueuedAt: async (): Promise<number | null> => oldest.get() as number | null,

    status: async (id: number): Promise<string | undefined> => statusOf.get(id) as string | undefined
  }
}

