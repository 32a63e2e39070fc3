import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuthConfig } from '../../config/inbound.js'
import { HttpError } from '../../errors.js'
import { makeIsLocal } from '../../http/local-network.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** True when `presented` equals any of `known`; every candidate is compared, in constant time. */
function anyMatches (known: Buffer[], presented: string): boolean {
  const candidate = digest(presented)
  let found = false
  for (const entry of known) found = timingSafeEqual(entry, candidate) || found
  return found
}

/**
 * Auth for senders that cannot sign: `ipAllow` is a gate (403 outside it); `bearer` and `basic`
 * are alternatives — when any are configured, one must match (401 otherwise).
 */
export function makeEndpointAuth (auth: AuthConfig) {
  const allowedIp = auth.ipAllow === undefined ? undefined : makeIsLocal(auth.ipAllow)
  const bearers = (auth.bearer ?? []).map(digest)
  const basics = (auth.basic ?? []).map(({ user, password }) => digest(`${user}:${password}`))
  const needsCredentials = bearers.length > 0 || basics.length > 0

  return function checkAuth (request: FastifyRequest, reply: FastifyReply): void {
    if (allowedIp !== undefined && !allowedIp(request.ip)) throw new HttpError(403, 'client address is not allowed for this endpoint')
    if (!needsCredentials) return
    const header = request.headers.authorization ?? ''
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1]
    const ok = (bearer !== undefined && anyMatches(bearers, bearer)) ||
      (basic !== undefined && anyMatches(basics, Buffer.from(basic, 'base64').toString('utf8')))
    if (!ok) {
      reply.header('www-authenticate', basics.length > 0 ? 'Basic realm="hookflow"' : 'Bearer realm="hookflow"')
      throw new HttpError(401, 'missing or invalid credentials for this endpoint')
    }
  }
}
