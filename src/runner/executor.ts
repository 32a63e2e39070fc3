import { runSegment, withLimits, type SegmentOptions } from './interpreter.js'
import type { EvaluationLimits } from './templates.js'
import type { CompiledScenario, RunState, SegmentResult } from './types.js'

/** Where scenario segments are evaluated. */
export interface ScenarioExecutor {
  /** `signal` is asked for only by executors that can stop work in flight (made on demand: most runs never need one). */
  runSegment: (scenario: string, state: RunState, options: SegmentOptions, signal: () => AbortSignal) => Promise<SegmentResult>
  /** Resolves once the executor can take work at full capacity. */
  ready: () => Promise<void>
  /** Held by a run for its whole life (an executor retired by a reload waits for its runs). */
  retain?: () => () => void
  close: () => Promise<void>
}

/** Evaluates on the calling thread: used for dry runs and as the baseline the pool is measured against. */
export function createInlineExecutor (scenarios: ReadonlyMap<string, CompiledScenario>, limits?: EvaluationLimits): ScenarioExecutor {
  return {
    async runSegment (name, state, options) {
      const scenario = scenarios.get(name)
      if (scenario === undefined) throw new Error(`unknown scenario "${name}"`)
      return await runSegment(scenario, state, withLimits(options, limits))
    },
    ready: async () => {},
    close: async () => {}
  }
}

/**
 * Bounded scenarios (see bounded.ts) are evaluated inline; all others in the evaluation hosts,
 * where they can be stopped.
 */
export function createHybridExecutor (inline: ScenarioExecutor, hosts: ScenarioExecutor, inlined: ReadonlySet<string>): ScenarioExecutor {
  return {
    runSegment: async (scenario, state, options, signal) =>
      await (inlined.has(scenario) ? inline : hosts).runSegment(scenario, state, options, signal),
    ready: async () => await hosts.ready(),
    close: async () => { await hosts.close() }
  }
}
