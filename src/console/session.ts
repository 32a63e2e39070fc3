import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AdminActor, AdminAuth } from '../admin/auth.js'
import type { ConsoleSessionStore } from '../storage/console-session-store.js'

export const SESSION_COOKIE = 'hookflow_console'
export const SESSION_TTL_MS = 12 * 3_600_000

/** Who is looking at the console, resolved from the session cookie on every request. */
export interface ConsoleViewer extends AdminActor {
  sessionId: string
  csrf: string
}

/**
 * The session's holder as the current config sees them: a session ends when its token is rotated
 * out, and follows its token's role if that changes.
 */
export async function currentViewer (request: FastifyRequest, sessions: ConsoleSessionStore, auth: AdminAuth): Promise<ConsoleViewer | undefined> {
  const sessionId = request.cookies[SESSION_COOKIE]
  if (sessionId === undefined || sessionId === '' || sessionId.length > 100) return undefined
  const session = await sessions.find(sessionId)
  if (session === undefined) return undefined
  const actor = auth.identifyDigest(session.tokenDigest)
  return actor === undefined ? undefined : { ...actor, sessionId, csrf: session.csrf }
}

/** HTTP-only, SameSite=Strict, scoped to the console, and Secure whenever the request came over TLS. */
export function setSessionCookie (request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/console', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: SESSION_TTL_MS / 1000
  })
}

export function clearSessionCookie (request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/console', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' })
}
