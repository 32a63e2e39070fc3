import type { SessionRow, SessionRows } from './console-session-store.js'
import type { Db } from './db.js'

export function sqliteSessionRows (db: Db): SessionRows {
  const insert = db.prepare('INSERT INTO console_sessions (id_hash, token_digest, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT token_digest, csrf, expires_at FROM console_sessions WHERE id_hash = ?')
  const remove = db.prepare('DELETE FROM console_sessions WHERE id_hash = ?')
  const prune = db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?')
  return {
    insert: async (...values) => { insert.run(...values) },
    select: async (idHash) => select.get(idHash) as SessionRow | undefined,
    remove: async (idHash) => { remove.run(idHash) },
    pruneExpired: async (now) => { prune.run(now) }
  }
}
