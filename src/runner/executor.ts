import { runSegment, withLimits, type SegmentOptions } from './interpreter.js'
import type { EvaluationLimits } from './templates.js'
import type { CompiledScenario, RunState, SegmentResult } from './types.js'

/** Where scenario segments are evaluated. */
export interface ScenarioExecutor {
  /** `signal` is asked for only by executors that can stop work in flight (made on demand: most runs never need one). */
  runSegment: (scenario: string, state: RunState, options: SegmentOptions, signal: () => AbortSignal) => Promise<SegmentResult>
  /**
   * True when the scenario's segments settle within the microtasks of the turn they start in
   * (bounded scenarios evaluated on the calling thread): no timer can fire while one runs and
   * nothing is in flight to stop, so run-scenario.ts skips its deadline race for them.
   */
  settlesInTurn?: (scenario: string) => boolean
  /** Resolves once the executor can take work at full capacity. */
  ready: () => Promise<void>
  /** Held by a run for its whole life (an executor retired by a reload waits for its runs). */
  retain?: () => () => void
  close: () => Promise<void>
}

/**
 * Evaluates on the calling thread: used for dry runs and as the baseline the pool is measured
 * against. `bounded` are the scenarios without a script step (which isolated-vm runs on a thread
 * of its own, asynchronously).
 */
export function createInlineExecutor (scenarios: ReadonlyMap<string, CompiledScenario>, limits?: EvaluationLimits, bounded: ReadonlySet<string> = new Set()): ScenarioExecutor {
  return {
    runSegment (name, state, options) {
      const scenario = scenarios.get(name)
      if (scenario === undefined) return Promise.reject(new Error(`unknown scenario "${name}"`))
      return runSegment(scenario, state, withLimits(options, limits))
    },
    settlesInTurn: (scenario) => bounded.has(scenario),
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
    // Handed on, not awaited here: a wrapping async function costs a promise and a turn per segment.
    runSegment: (scenario, state, options, signal) =>
      (inlined.has(scenario) ? inline : hosts).runSegment(scenario, state, options, signal),
    settlesInTurn: (scenario) => inlined.has(scenario),
    ready: async () => await hosts.ready(),
    close: async () => { await hosts.close() }
  }
}
