import { z } from 'zod'

/** The durable run queue. */
export const QueueConfig = z.object({
  /** Async runs executing at once in this process. */
  concurrency: z.number().int().min(1).max(1000).default(8),
  /** Queued runs beyond which async intake answers 503 with Retry-After. */
  maxDepth: z.number().int().min(1).default(100_000),
  /** How long a claimed run is held without renewal before another claim may take it. */
  leaseMs: z.number().int().min(500).max(3_600_000).default(30_000),
  /** How often the queue is checked for runs that became due (retries, expired leases). */
  pollMs: z.number().int().min(10).max(60_000).default(500)
}).strict()

/** Per entry point: how often a failed async run is tried, and how long to wait in between. */
export const RetryConfig = z.object({
  /** Every try, the first included. */
  attempts: z.number().int().min(1).max(100),
  backoffMs: z.number().int().min(0).max(3_600_000).default(1000),
  maxBackoffMs: z.number().int().min(0).max(86_400_000).default(60_000)
}).strict()

/** The run catalog's retention. */
export const RunsConfig = z.object({
  /** Finished runs older than this are pruned (0 keeps them). */
  retainDays: z.number().min(0).default(30),
  /** At most this many finished runs are kept (0: no limit). */
  maxRows: z.number().int().min(0).default(0)
}).strict()

export type QueueConfig = z.infer<typeof QueueConfig>
export type RetryConfig = z.infer<typeof RetryConfig>
export type RunsConfig = z.infer<typeof RunsConfig>
