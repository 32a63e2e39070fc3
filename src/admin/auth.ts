import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AdminRole } from '../config/admin.js'
import { HttpError } from '../errors.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * Bearer-token guard for the admin API. Digests make every comparison the same length, and all
 * tokens are compared so the time taken does not tell which one came close.
 */
export function makeAdminGuard (tokens: ReadonlyArray<{ token: string, role: AdminRole }>) {
  const known = tokens.map(({ token, role }) => ({ digest: digest(token), role }))

  return function requireRole (needed: AdminRole) {
    return async function adminGuard (request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (known.length === 0) throw new HttpError(503, 'admin API disabled: no admin token is configured')
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
      let role: AdminRole | undefined
      if (match !== null) {
        const presented = digest(match[1])
        for (const candidate of known) {
          if (timingSafeEqual(candidate.digest, presented)) role ??= candidate.role
        }
      }
      if (role === undefined) {
        reply.header('www-authenticate', 'Bearer realm="hookflow-admin"')
        throw new HttpError(401, 'missing or invalid admin token')
      }
      if (needed === 'admin' && role !== 'admin') throw new HttpError(403, 'this action needs the admin role')
    }
  }
}
