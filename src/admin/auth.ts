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

export interface AdminAuth {
  /** `guard(role)` → a preHandler for Bearer-token callers that admits that role (admin includes viewer). */
  guard: AdminGuard
  /** The holder of a presented token, with the token's digest (hex) to recognise it later. */
  identify: (token: string) => (AdminActor & { tokenDigest: string }) | undefined
  /** The current holder of a token known by its digest: gone once the token is rotated out. */
  identifyDigest: (tokenDigest: string) => AdminActor | undefined
  enabled: boolean
}

export function makeAdminAuth (tokens: ReadonlyArray<{ token: string, role: AdminRole, name?: string }>): AdminAuth {
  const known = tokens.map(({ token, role, name }, i) => ({ digest: digest(token), actor: { role, name: name ?? `token-${i + 1}` } }))

  const byDigest = (presented: Buffer): AdminActor | undefined => {
    let actor: AdminActor | undefined
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, presented)) actor ??= candidate.actor
    }
    return actor
  }

  const guard: AdminGuard = (needed) => async function adminGuard (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (known.length === 0) throw new HttpError(503, 'admin API disabled: no admin token is configured')
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
    const actor = match === null ? undefined : byDigest(digest(match[1]))
    if (actor === undefined) {
      reply.header('www-authenticate', 'Bearer realm="hookflow-admin"')
      throw new HttpError(401, 'missing or invalid admin token')
    }
    if (needed === 'admin' && actor.role !== 'admin') throw new HttpError(403, 'this action needs the admin role')
    request.adminActor = actor
  }

  return {
    guard,
    identify (token) {
      const presented = digest(token)
      const actor = byDigest(presented)
      return actor === undefined ? undefined : { ...actor, tokenDigest: presented.toString('hex') }
    },
    identifyDigest (tokenDigest) {
      const presented = Buffer.from(tokenDigest, 'hex')
      return presented.length === 32 ? byDigest(presented) : undefined
    },
    enabled: known.length > 0
  }
}

/** `guard(role)` → a preHandler that admits that role (admin includes viewer). */
export type AdminGuard = (needed: AdminRole) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>
