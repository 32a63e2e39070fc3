import { z } from 'zod'
import { AuthConfig, IdempotencyConfig, RateLimitConfig, VerifyConfig } from './inbound.js'
import { RetryConfig } from './queue.js'

/** Sync callers are never held longer than this. */
export const MAX_SYNC_TIMEOUT_MS = 60_000

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

export const CorsConfig = z.object({
  origins: z.array(z.string().refine((origin) => origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin), {
    message: 'must be "*" or an origin like https://app.example.com'
  })).min(1),
  methods: z.array(z.enum(HTTP_METHODS)).default(['GET', 'HEAD', 'POST']),
  headers: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name')).default([]),
  exposeHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name')).default(['X-Request-Id', 'X-Run-Id', 'X-Run-Status']),
  credentials: z.boolean().default(false),
  maxAgeSec: z.number().int().min(0).max(86_400).default(600)
}).strict().refine((cors) => !(cors.credentials && cors.origins.includes('*')), {
  message: 'credentials cannot be combined with origin "*"',
  path: ['credentials']
})

export const WebRequestConfig = z.object({
  slug: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be 1-128 letters, digits, _ or -'),
  title: z.string().max(200).optional(),
  scenario: z.string(),
  enabled: z.boolean().default(true),
  timeoutMs: z.number().int().positive().max(MAX_SYNC_TIMEOUT_MS, `must be at most ${MAX_SYNC_TIMEOUT_MS} (the sync hard limit)`).default(MAX_SYNC_TIMEOUT_MS),
  cors: CorsConfig.optional(),
  /**
   * At the deadline: `abort` answers 504 and stops the run; `continue` answers 202 with a status
   * URL and lets the run go on as an async run.
   */
  onTimeout: z.enum(['abort', 'continue']).default('abort'),
  /** Runs of this endpoint at once: a sync call beyond gets 429; async runs wait in the queue. */
  maxConcurrent: z.number().int().min(1).optional(),
  retry: RetryConfig.optional(),
  verify: VerifyConfig.optional(),
  auth: AuthConfig.optional(),
  idempotency: IdempotencyConfig.optional(),
  rateLimit: RateLimitConfig.optional(),
  /**
   * Which sync runs are written to the catalog: `all`, only `errors` (failed or timed out), or
   * `none` — for high-volume endpoints; an unrecorded run has no stored reply for idempotent repeats.
   */
  history: z.enum(['all', 'errors', 'none']).default('all')
}).strict()

export type CorsConfig = z.infer<typeof CorsConfig>
export type WebRequestConfig = z.infer<typeof WebRequestConfig>
