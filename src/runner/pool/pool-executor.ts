import { join } from 'node:path'
import { Piscina } from 'piscina'
import { packageRoot } from '../../storage/package-root.js'
import type { ScenarioSource } from '../compile-scenario.js'
import type { ScenarioExecutor } from '../executor.js'
import type { EvaluationLimits } from '../templates.js'
import type { SegmentResult } from '../types.js'
import type { SegmentTask, SegmentWorkerData } from './segment-worker.js'

export interface PoolOptions {
  scenarios: Record<string, ScenarioSource>
  workers: number
  workerHeapMb: number
  maxNestingDepth: number
  limits: EvaluationLimits
}

/** Workers always run the compiled file: worker threads cannot load TypeScript. */
const WORKER_FILE = join(packageRoot(), 'dist', 'src', 'runner', 'pool', 'segment-worker-entry.cjs')

/**
 * Evaluates segments in worker threads. A segment still running at its run's deadline is
 * aborted, which terminates its worker (and everything running in it); the pool starts a fresh one.
 * A worker past its heap cap dies alone and its task fails.
 */
export function createPoolExecutor (options: PoolOptions): ScenarioExecutor {
  const workerData: SegmentWorkerData = { scenarios: options.scenarios, maxNestingDepth: options.maxNestingDepth }
  const pool = new Piscina<SegmentTask, SegmentResult>({
    filename: WORKER_FILE,
    workerData,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 60_000,
    resourceLimits: {
      maxOldGenerationSizeMb: options.workerHeapMb,
      // A young generation large enough that big short-lived arrays do not thrash the old one.
      maxYoungGenerationSizeMb: Math.min(64, Math.max(16, Math.floor(options.workerHeapMb / 8)))
    },
    // Credentials in the host environment are none of a scenario's business.
    env: {}
  })

  return {
    async runSegment (scenario, state, segmentOptions, signal) {
      try {
        return await pool.run({ scenario, state, options: { ...segmentOptions, limits: options.limits } }, { signal })
      } catch (err) {
        const code = (err as { code?: string }).code
        if (code === 'ERR_WORKER_OUT_OF_MEMORY') throw new Error(`scenario ran out of memory (worker heap limit ${options.workerHeapMb} MB)`)
        throw err
      }
    },
    close: async () => { await pool.destroy() }
  }
}
