import type { QueueStore } from '../types.js'
import { SUMMARY_COLUMNS, toClaimed, type ClaimRow } from '../run-row.js'
import type { PgPool } from './pool.js'

const RETURNED = SUMMARY_COLUMNS.split(', ').map((column) => `runs.${column}`).join(', ')

/**
 * The run queue on PostgreSQL. A claim locks the runs it takes with `FOR UPDATE SKIP LOCKED`, so
 * instances claiming at the same moment take different runs and never wait on each other; a run
 * whose lease ran out (its instance died) is claimable again, as its next attempt.
 */
export function createPgQueueStore (pool: PgPool, relaxedPool = pool): QueueStore {
  return {
    // On the relaxed pool: a claim or renewal lost in a database crash only hands the run back to
    // the queue (at-least-once), and waiting for the disk at every claim capped the drain.
    async claim (now, leaseUntil, limit, saturated = []) {
      const args: unknown[] = [now, leaseUntil, limit]
      const skip = saturated.map(({ kind, endpoint }) => {
        args.push(kind, endpoint)
        return `AND NOT (kind = $${args.length - 1} AND endpoint IS NOT DISTINCT FROM $${args.length})`
      }).join(' ')
      const { rows } = await relaxedPool.query<ClaimRow>(`WITH picked AS (
          SELECT id FROM runs
          WHERE status IN ('queued', 'running')
            AND ((status = 'queued' AND available_at <= $1) OR (status = 'running' AND (lease_until IS NULL OR lease_until < $1))) ${skip}
          ORDER BY id LIMIT $3
          FOR UPDATE SKIP LOCKED)
        UPDATE runs SET
          attempt = CASE WHEN runs.status = 'running' THEN runs.attempt + 1 ELSE runs.attempt END,
          status = 'running', started_at = $1, lease_until = $2
        FROM picked WHERE runs.id = picked.id
        RETURNING ${RETURNED}, runs.input, runs.max_attempts, runs.backoff_ms, runs.max_backoff_ms`, args)
      return rows.sort((a, b) => a.id - b.id).map(toClaimed)
    },

    async renew (ids, leaseUntil) {
      if (ids.length === 0) return []
      const { rows } = await relaxedPool.query<{ id: number, cancel_requested: number }>(
        "UPDATE runs SET lease_until = $1 WHERE id = ANY($2::bigint[]) AND status = 'running' RETURNING id, cancel_requested", [leaseUntil, ids])
      return rows.filter((row) => row.cancel_requested === 1).map((row) => row.id)
    },

    async retryLater (id, availableAt, error, steps) {
      await pool.query(`UPDATE runs SET status = 'queued', attempt = attempt + 1, available_at = $1, lease_until = NULL,
        error = $2, steps = $3 WHERE id = $4 AND status = 'running'`, [availableAt, JSON.stringify(error), JSON.stringify(steps), id])
    },

    async release (id) {
      await pool.query("UPDATE runs SET status = 'queued', lease_until = NULL, available_at = 0 WHERE id = $1 AND status = 'running'", [id])
    },

    // Other instances may be running these right now: a dead instance's runs wait out their leases.
    releaseAll: async () => 0,

    async cancelWaiting (id, now, reason) {
      const { rowCount } = await pool.query(`UPDATE runs SET status = 'cancelled', finished_at = $1, error = $2
        WHERE id = $3 AND (status = 'queued' OR (status = 'running' AND lease_until < $1))`, [now, JSON.stringify(reason), id])
      return (rowCount ?? 0) > 0
    },

    requestCancel: async (id, now) => ((await pool.query(
      "UPDATE runs SET cancel_requested = 1 WHERE id = $1 AND status = 'running' AND lease_until >= $2", [id, now])).rowCount ?? 0) > 0,

    depth: async () => (await pool.query<{ n: number }>("SELECT count(*) AS n FROM runs WHERE status = 'queued'")).rows[0].n,

    oldestQueuedAt: async () => (await pool.query<{ t: number | null }>("SELECT min(created_at) AS t FROM runs WHERE status = 'queued'")).rows[0].t,

    status: async (id) => (await pool.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id])).rows[0]?.status
  }
}
