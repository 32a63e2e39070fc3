import type { Logger } from 'pino'
import { runScenario, type ScenarioRuntime } from '../runner/run-scenario.js'
import { userIdOf } from '../runs/identity.js'
import { runResult } from '../runs/run-result.js'
import type { Run } from '../runs/types.js'
import type { RunStore } from '../storage/run-store.js'

export interface DispatcherOptions {
  runs: RunStore
  runtime: ScenarioRuntime
  log: Logger
  concurrency?: number
}

/**
 * Runs committed async runs in the background, a bounded number at once. A run is on disk
 * before it gets here, so whatever a crash interrupts is found again by `recover`.
 */
export function createDispatcher ({ runs, runtime, log, concurrency = 8 }: DispatcherOptions) {
  const waiting: Run[] = []
  const active = new Set<Promise<void>>()
  let closed = false

  async function execute (run: Run): Promise<void> {
    const runLog = log.child({ runId: run.id, scenario: run.scenario })
    const startedAt = Date.now()
    try {
      await runs.start(run.id, run.attempt, startedAt)
      const outcome = await runScenario(runtime, {
        scenario: run.scenario,
        vars: run.input,
        deadline: startedAt + run.timeoutMs,
        run: { runId: run.id, depth: run.depth, endpoint: run.endpoint, userId: userIdOf(run.input) }
      })
      await runs.finish(run.id, runResult(run.input, outcome))
      runLog.info({ status: outcome.status, durationMs: Date.now() - startedAt }, 'async run finished')
    } catch (err) {
      // Left as it is in the catalog; the next start recovers it.
      runLog.error({ err }, 'async run could not be completed')
    }
  }

  function pump (): void {
    while (!closed && active.size < concurrency && waiting.length > 0) {
      const task = execute(waiting.shift()!).finally(() => {
        active.delete(task)
        pump()
      })
      active.add(task)
    }
  }

  return {
    /** Hands over a run that is already committed as queued. */
    submit (run: Run): void {
      waiting.push(run)
      pump()
    },

    /** Waits for `work` at close, like a run of its own (a sync run that went on as async). */
    adopt (work: Promise<unknown>): void {
      const task = work.then(() => {}, (err: unknown) => log.error({ err }, 'adopted run could not be completed')).finally(() => active.delete(task))
      active.add(task)
    },

    /** Picks up runs a previous process acknowledged but never finished. */
    async recover (): Promise<number> {
      const found = await runs.unfinished()
      for (const run of found) {
        // A run left `running` died with its process: this is its next attempt.
        waiting.push(run.status === 'running' ? { ...run, attempt: run.attempt + 1 } : run)
      }
      pump()
      return found.length
    },

    /** Stops taking work and waits up to `graceMs` for runs in progress; the rest resume at next start. */
    async close (graceMs = 10_000): Promise<void> {
      closed = true
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...active]),
        new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })
      ])
      clearTimeout(timer)
    },

    get pending (): number { return waiting.length + active.size }
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
