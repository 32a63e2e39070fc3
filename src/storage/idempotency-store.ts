import type { NewRun } from '../runs/types.js'
import type { Db } from './db.js'
import type { SqliteRunStore } from './run-store.js'
import type { IdempotencyKey, IdempotencyStore } from './types.js'
import { immediately } from './write-lock.js'

export type { IdempotencyKey, IdempotencyStore } from './types.js'

/** A key whose sync run never got recorded (its process died) stops blocking after this long. */
const ABANDONED_AFTER_MS = 120_000

/**
 * Delivery keys seen per entry point, in SQLite so a restart forgets nothing. Claiming a key and
 * creating its run are one transaction: two deliveries of one key cannot both start a run.
 */
export function createIdempotencyStore (db: Db, runs: Pick<SqliteRunStore, 'insertWithin'>): IdempotencyStore {
  const find = db.prepare(`SELECT k.run_id AS runId, k.created_at AS createdAt, r.id IS NOT NULL AS recorded
    FROM idempotency_keys k LEFT JOIN runs r ON r.id = k.run_id
    WHERE k.kind = ? AND k.endpoint = ? AND k.key = ? AND k.expires_at > ?`)
  const upsert = db.prepare(`INSERT INTO idempotency_keys (kind, endpoint, key, run_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (kind, endpoint, key) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at, expires_at = excluded.expires_at`)
  const prune = db.prepare('DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)')

  return {
    /**
     * Claims `key` for `runId` (and inserts `run`, if given, in the same transaction), or returns
     * the run id that already holds it.
     */
    claim: async (key: IdempotencyKey, runId: number, ttlMs: number, run?: NewRun): Promise<number | undefined> => {
      const now = Date.now()
      return immediately(db, () => {
        const existing = find.get(key.kind, key.endpoint, key.key, now) as { runId: number, createdAt: number, recorded: number } | undefined
        if (existing !== undefined && (existing.recorded === 1 || now - existing.createdAt < ABANDONED_AFTER_MS)) return existing.runId
        upsert.run(key.kind, key.endpoint, key.key, runId, now, now + ttlMs)
        if (run !== undefined) runs.insertWithin(run)
        return undefined
      })
    },

    pruneExpired: async (batch: number): Promise<number> => prune.run(Date.now(), batch).changes
  }
}

