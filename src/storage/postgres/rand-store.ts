import { newRand } from '../../dialects/event/rand-store.js'
import type { RandStore } from '../types.js'
import type { PgPool } from './pool.js'

export interface PgRandStoreOptions {
  ttlMs: number
  maxOutstanding: number
}

/**
 * One-time ids in the shared database: issued by one instance, used up by the first call on any
 * instance (`DELETE … RETURNING` hands a row to one statement only).
 */
export function createPgRandStore (pool: PgPool, { ttlMs, maxOutstanding }: PgRandStoreOptions): RandStore {
  let lastSweep = 0
  return {
    async issue () {
      const now = Date.now()
      if (now - lastSweep > ttlMs) {
        lastSweep = now
        await pool.query('DELETE FROM event_rands WHERE expires_at <= $1', [now])
      }
      const { rows } = await pool.query<{ rand: string }>(`INSERT INTO event_rands (rand, expires_at)
        SELECT $1, $2 WHERE (SELECT count(*) FROM event_rands WHERE expires_at > $3) < $4
        ON CONFLICT (rand) DO NOTHING RETURNING rand`, [newRand(), now + ttlMs, now, maxOutstanding])
      return rows[0]?.rand
    },
    async consume (rand) {
      const { rows } = await pool.query<{ expires_at: number }>('DELETE FROM event_rands WHERE rand = $1 RETURNING expires_at', [rand])
      return rows.length > 0 && rows[0].expires_at > Date.now()
    }
  }
}
