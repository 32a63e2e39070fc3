import type { SessionRow, SessionRows } from '../console-session-store.js'
import type { PgPool } from './pool.js'

export function pgSessionRows (pool: PgPool): SessionRows {
  return {
    insert: async (...values) => { await pool.query('INSERT INTO console_sessions (id_hash, token_digest, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', values) },
    select: async (idHash) => (await pool.query<SessionRow>('SELECT token_digest, csrf, expires_at FROM console_sessions WHERE id_hash = $1', [idHash])).rows[0],
    remove: async (idHash) => { await pool.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]) },
    pruneExpired: async (now) => { await pool.query('DELETE FROM console_sessions WHERE expires_at <= $1', [now]) }
  }
}
