import type { IdempotencyStore } from '../types.js'
import { inTransaction, type PgPool } from './pool.js'
import { runRow } from '../run-row.js'
import { insertRuns } from './run-store.js'

/** A key whose sync run never got recorded (its instance died) stops blocking after this long. */
const ABANDONED_AFTER_MS = 120_000

/**
 * Delivery keys per entry point, shared by every instance. The upsert takes the key's row lock,
 * so two instances claiming one key at once are serialized and exactly one creates a run.
 */
export function createPgIdempotencyStore (pool: PgPool): IdempotencyStore {
  return {
    claim: async (key, runId, ttlMs, run) => await inTransaction(pool, async (client) => {
      const now = Date.now()
      const claimed = await client.query(`INSERT INTO idempotency_keys AS k (kind, endpoint, key, run_id, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (kind, endpoint, key) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at, expires_at = excluded.expires_at
        WHERE k.expires_at <= $5
          OR (k.created_at < $5 - ${ABANDONED_AFTER_MS} AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = k.run_id))
        RETURNING run_id`, [key.kind, key.endpoint, key.key, runId, now, now + ttlMs])
      if ((claimed.rowCount ?? 0) > 0) {
        if (run !== undefined) await insertRuns(client, [runRow(run)])
        return undefined
      }
      const { rows } = await client.query<{ run_id: number }>('SELECT run_id FROM idempotency_keys WHERE kind = $1 AND endpoint = $2 AND key = $3', [key.kind, key.endpoint, key.key])
      return rows[0].run_id
    }),

    pruneExpired: async (batch) => (await pool.query(
      'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)', [Date.now(), batch])).rowCount ?? 0
  }
}
