import { createHash, randomBytes } from 'node:crypto'
import type { ConsoleSession, ConsoleSessionStore } from './types.js'

export type { ConsoleSession, ConsoleSessionStore } from './types.js'

export interface SessionRow { token_digest: string, csrf: string, expires_at: number }

/** The SQL a session store needs, from whichever database holds the sessions. */
export interface SessionRows {
  insert: (idHash: string, tokenDigest: string, csrf: string, createdAt: number, expiresAt: number) => Promise<void>
  select: (idHash: string) => Promise<SessionRow | undefined>
  remove: (idHash: string) => Promise<void>
  pruneExpired: (now: number) => Promise<void>
}

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex')

/** Console logins, kept in the database so they survive a restart and can be ended server-side. */
export function createConsoleSessionStore (rows: SessionRows): ConsoleSessionStore {
  return {
    async create (tokenDigest, ttlMs) {
      const now = Date.now()
      await rows.pruneExpired(now)
      const id = randomBytes(32).toString('base64url')
      const session: ConsoleSession = { tokenDigest, csrf: randomBytes(18).toString('base64url'), expiresAt: now + ttlMs }
      await rows.insert(hashOf(id), session.tokenDigest, session.csrf, now, session.expiresAt)
      return { id, session }
    },
    async find (id) {
      const row = await rows.select(hashOf(id))
      if (row === undefined || row.expires_at <= Date.now()) return undefined
      return { tokenDigest: row.token_digest, csrf: row.csrf, expiresAt: row.expires_at }
    },
    end: async (id) => { await rows.remove(hashOf(id)) }
  }
}
