import { createHash, randomBytes } from 'node:crypto'
import type { Db } from './db.js'

export interface ConsoleSession {
  tokenDigest: string
  /** Sent back in every form of the console and checked on each POST. */
  csrf: string
  expiresAt: number
}

interface SessionRow { token_digest: string, csrf: string, expires_at: number }

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex')

/** Console logins, kept in the database so they survive a restart and can be ended server-side. */
export function createConsoleSessionStore (db: Db) {
  const insert = db.prepare('INSERT INTO console_sessions (id_hash, token_digest, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT token_digest, csrf, expires_at FROM console_sessions WHERE id_hash = ?')
  const remove = db.prepare('DELETE FROM console_sessions WHERE id_hash = ?')
  const prune = db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?')

  return {
    /** A new session; the id returned is the cookie's value and is stored only as a hash. */
    create: async (tokenDigest: string, ttlMs: number): Promise<{ id: string, session: ConsoleSession }> => {
      const now = Date.now()
      prune.run(now)
      const id = randomBytes(32).toString('base64url')
      const session = { tokenDigest, csrf: randomBytes(18).toString('base64url'), expiresAt: now + ttlMs }
      insert.run(hashOf(id), session.tokenDigest, session.csrf, now, session.expiresAt)
      return { id, session }
    },
    find: async (id: string): Promise<ConsoleSession | undefined> => {
      const row = select.get(hashOf(id)) as SessionRow | undefined
      if (row === undefined || row.expires_at <= Date.now()) return undefined
      return { tokenDigest: row.token_digest, csrf: row.csrf, expiresAt: row.expires_at }
    },
    end: async (id: string): Promise<void> => { remove.run(hashOf(id)) }
  }
}

export type ConsoleSessionStore = ReturnType<typeof createConsoleSessionStore>
