import { z } from 'zod'
import { RetryConfig } from './queue.js'
import { secretAtLeast } from './secret.js'
import { MAX_SYNC_TIMEOUT_MS } from './webrequests.js'

export const EventConfig = z.object({
  name: z.string().regex(/^[^\s]{1,128}$/u, 'must be 1-128 characters without spaces'),
  title: z.string().max(200).optional(),
  scenario: z.string(),
  /** Remote callers sign with it; without a token the event accepts local calls only. */
  token: secretAtLeast(8).optional(),
  enabled: z.boolean().default(true),
  /** How long a `?wait=true` caller is held. */
  timeoutMs: z.number().int().positive().max(MAX_SYNC_TIMEOUT_MS).default(MAX_SYNC_TIMEOUT_MS),
  maxConcurrent: z.number().int().min(1).optional(),
  retry: RetryConfig.optional()
}).strict()

/** One-time ids for signed remote event calls. */
export const RandidConfig = z.object({
  ttlMs: z.number().int().min(100).max(600_000).default(3000),
  /** Ids issued and not yet used or expired; beyond this `/api/randid` answers 429. */
  maxOutstanding: z.number().int().min(1).max(10_000_000).default(100_000),
  perClientPerMinute: z.number().int().min(1).max(1_000_000).default(120)
}).strict()

export type EventConfig = z.infer<typeof EventConfig>
export type RandidConfig = z.infer<typeof RandidConfig>
