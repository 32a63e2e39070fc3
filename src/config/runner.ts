import { availableParallelism } from 'node:os'
import { z } from 'zod'

/** Where and within what limits scenarios are evaluated. */
export const RunnerConfig = z.object({
  /**
   * `workers` (default): evaluation runs in a pool of worker threads that are terminated at a
   * run's deadline or memory cap. `main-thread` exists only to measure what isolation costs; a
   * runaway expression there stalls the whole server.
   */
  evaluateOn: z.enum(['workers', 'main-thread']).default('workers'),
  workers: z.number().int().min(1).max(64).default(Math.max(2, availableParallelism())),
  /** Heap of each worker thread. Headroom matters: one allocation far past a small heap aborts the process. */
  workerHeapMb: z.number().int().min(64).max(16_384).default(512),
  /** Largest value (as JSON) one expression may produce. */
  maxResultBytes: z.number().int().positive().default(16 * 1024 * 1024),
  /** How deeply step lists may nest (if inside if inside …). */
  maxNestingDepth: z.number().int().min(1).max(256).default(32)
}).strict()

export type RunnerConfig = z.infer<typeof RunnerConfig>
