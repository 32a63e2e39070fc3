import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IdempotencyConfig, RateLimitConfig, VerifyConfig } from '../../config/inbound.js'
import type { WebRequestConfig } from '../../config/webrequests.js'
import { HttpError } from '../../errors.js'
import { verifySignature } from '../../verify/schemes.js'
import { makeEndpointAuth } from './endpoint-auth.js'

/** What an endpoint demands of a request before it may run; secrets live here, never in the registry. */
export interface InboundRules {
  verify?: VerifyConfig
  auth?: (request: FastifyRequest, reply: FastifyReply) => void
  idempotency?: IdempotencyConfig
  rateLimit?: RateLimitConfig
}

export function inboundRules (webrequests: readonly WebRequestConfig[]): Map<string, InboundRules> {
  return new Map(webrequests.map((endpoint) => [endpoint.slug, {
    verify: endpoint.verify,
    auth: endpoint.auth === undefined ? undefined : makeEndpointAuth(endpoint.auth),
    idempotency: endpoint.idempotency,
    rateLimit: endpoint.rateLimit
  }]))
}

/** Auth first, then the signature over the exact bytes received: nothing runs for a forged request. */
export function checkInbound (rules: InboundRules | undefined, request: FastifyRequest, reply: FastifyReply, raw: Buffer): void {
  if (rules === undefined) return
  rules.auth?.(request, reply)
  if (rules.verify === undefined) return
  const verdict = verifySignature(rules.verify, request.headers, raw)
  if (!verdict.ok) {
    // The reason names what is wrong; the expected signature is never shown, nor logged.
    request.log.warn({ scheme: rules.verify.scheme, reason: verdict.reason }, 'signature check failed')
    throw new HttpError(401, `signature check failed (${rules.verify.scheme}): ${verdict.reason}`)
  }
}
