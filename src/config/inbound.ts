import { z } from 'zod'
import { SecretConfig } from './secret.js'
import { CidrEntry } from './server.js'

/** Checking that a web request really comes from its sender, over the raw body. */
export const VerifyConfig = z.object({
  scheme: z.enum(['github', 'stripe', 'slack', 'standard-webhooks', 'hmac']),
  /** Several for rotation: any may match. */
  secrets: z.array(SecretConfig).min(1),
  /** How old (or how far in the future) a signed timestamp may be. */
  toleranceSec: z.number().int().min(1).max(86_400).default(300),
  /** hmac only: the header carrying the signature. */
  header: z.string().regex(/^[A-Za-z0-9-]+$/).optional(),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  /** hmac only: text before the signature in the header, e.g. `sha256=`. */
  prefix: z.string().default('')
}).strict().refine((verify) => verify.scheme !== 'hmac' || verify.header !== undefined, { message: 'the hmac scheme needs the header that carries the signature', path: ['header'] })

/** For senders that cannot sign: the ip gate must pass, and one of the credentials if any are set. */
export const AuthConfig = z.object({
  bearer: z.array(SecretConfig).optional(),
  basic: z.array(z.object({ user: z.string().min(1), password: SecretConfig }).strict()).optional(),
  ipAllow: z.array(CidrEntry).optional()
}).strict()

export const IdempotencyConfig = z.object({
  /** The request header whose value identifies a delivery (`Idempotency-Key`, `webhook-id`, `X-GitHub-Delivery`, …). */
  header: z.string().regex(/^[A-Za-z0-9-]+$/),
  ttlSec: z.number().int().min(1).max(30 * 86_400).default(86_400)
}).strict()

export const RateLimitConfig = z.object({
  max: z.number().int().min(1),
  windowSec: z.number().int().min(1).max(86_400)
}).strict()

export type VerifyConfig = z.infer<typeof VerifyConfig>
export type AuthConfig = z.infer<typeof AuthConfig>
export type IdempotencyConfig = z.infer<typeof IdempotencyConfig>
export type RateLimitConfig = z.infer<typeof RateLimitConfig>
