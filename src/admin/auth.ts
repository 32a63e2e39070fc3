import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AdminRole } from '../config/admin.js'
import { HttpError } from '../errors.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * Bearer-token guard for the admin API. Digests make every comparison the same length, and all
 * tokens are compared so the time taken does not tell which one came close.
 */
export interface AdminActor { name: string, role: AdminRole }

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin token's holder, once the guard let the request through. */
    adminActor?: AdminActor
  }
}

export function makeAdminGuard (tokens: ReadonlyArray<{ token: string, role: AdminRole, name?: string }>) {
  const known = tokens.map(({ token, role, name }, i) => ({ digest: digest(token), actor: { role, name: name ?? `token-${i + 1}` } }))

  return function requireRole (needed: AdminRole) {
    return async function adminGuard (request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (known.length === 0) throw new HttpError(503, 'admin API disabled: no admin token is configured')
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
      let actor: AdminActor | undefined
      if (match !== null) {
        const presented = digest(match[1])
        for (const candidate of known) {
          if (timingSafeEqual(candidate.digest, presented)) actor ??= candidate.actor
        }
      }
      if (actor === undefined) {
        reply.header('www-authenticate', 'Bearer realm="hookflow-admin"')
        throw new HttpError(401, 'missing or invalid admin token')
      }
      if (needed === 'admin' && actor.role !== 'admin') throw new HttpError(403, 'this action needs the admin role')
      request.adminActor = actor
    }
  }
}

/** `guard(role)` → a preHandler that admits that role (admin includes viewer). */
export type AdminGuard = (needed: AdminRole) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>
