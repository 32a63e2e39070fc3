import type { ScenarioExecutor } from '../executor.js'
import { createHostPool, type HostPoolOptions } from './host-pool.js'

/** Evaluates scenario segments in the evaluation hosts (child processes). */
export function createHostExecutor (options: HostPoolOptions): ScenarioExecutor & { pids: () => number[] } {
  const pool = createHostPool(options)
  return {
    runSegment: async (scenario, state, segmentOptions, signal) => await pool.run({ scenario, state, options: segmentOptions }, signal()),
    pids: pool.pids,
    ready: pool.ready,
    close: pool.close
  }
}
