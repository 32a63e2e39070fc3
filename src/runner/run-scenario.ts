import type { ScenarioExecutor } from './executor.js'
import { initialState } from './interpreter.js'
import type { IoPerformer, RunContext } from './io.js'
import type { IoResult, RunError, RunState, StepLogEntry, Vars } from './types.js'

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'timed_out'
  vars: Vars
  log: StepLogEntry[]
  error?: RunError
}

export interface RunJob {
  scenario: string
  vars: Vars
  /** Epoch ms after which no step starts and the running one is stopped. */
  deadline: number
  run: RunContext
}

/** Where segments are evaluated and how their I/O is done. */
export interface ScenarioRuntime {
  executor: ScenarioExecutor
  io: IoPerformer
}

/** What a race against the deadline yields when the deadline wins (a value, not a thrown error: cheap on the hot path). */
const DEADLINE = Symbol('deadline')
/** The abort reason handed to whatever is in flight; made once, as building errors per run costs. */
const DEADLINE_REASON = new Error('scenario timed out')

function withDroppedNote (state: RunState): StepLogEntry[] {
  if (state.logDropped === undefined) return state.log
  return [...state.log, { kind: 'log', path: '', startedAt: Date.now(), durationMs: 0, status: 'skipped', error: `${state.logDropped} more step entries were not kept (log cap)` }]
}

function timedOut (state: RunState): RunOutcome {
  const log = [...withDroppedNote(state)]
  const pending = state.pending
  if (pending !== undefined) {
    const entry: StepLogEntry = { kind: pending.kind, path: pending.path, startedAt: pending.startedAt, durationMs: Date.now() - pending.startedAt, status: 'timed_out', error: 'stopped at the deadline' }
    if (pending.name !== undefined) entry.name = pending.name
    log.push(entry)
  }
  return { status: 'timed_out', vars: state.vars, log, error: { message: 'scenario timed out' } }
}

/**
 * Drives a run: evaluation segments on the executor, I/O here, everything bounded by one
 * deadline. At the deadline the run resolves as `timed_out` at once, whatever is in flight.
 */
export async function runScenario ({ executor, io: performIo }: ScenarioRuntime, job: RunJob): Promise<RunOutcome> {
  const deadline = new AbortController()
  let reached: (value: typeof DEADLINE) => void = () => {}
  const stopped = new Promise<typeof DEADLINE>((resolve) => { reached = resolve })
  const timer = setTimeout(() => {
    deadline.abort(DEADLINE_REASON)
    reached(DEADLINE)
  }, Math.max(0, job.deadline - Date.now()))
  // A copy: steps assign variables, and the caller keeps the input as it came.
  let state = initialState({ ...job.vars })
  let io: IoResult | undefined
  try {
    for (;;) {
      const segment = await Promise.race([
        executor.runSegment(job.scenario, state, { deadline: job.deadline, io }, deadline.signal),
        stopped
      ])
      if (segment === DEADLINE) return timedOut(state)
      state = segment.state
      switch (segment.type) {
        case 'done': return { status: 'succeeded', vars: state.vars, log: withDroppedNote(state) }
        case 'failed': return { status: 'failed', vars: state.vars, log: withDroppedNote(state), error: segment.error }
        case 'timed_out': return timedOut(state)
        case 'io': {
          const result = await Promise.race([
            performIo(segment.io, job.run, deadline.signal).catch((err: Error): IoResult | typeof DEADLINE =>
              deadline.signal.aborted ? DEADLINE : { ok: false, error: err.message }),
            stopped
          ])
          if (result === DEADLINE) return timedOut(state)
          io = result
        }
      }
    }
  } catch (err) {
    if (deadline.signal.aborted) return timedOut(state)
    return { status: 'failed', vars: state.vars, log: withDroppedNote(state), error: { message: (err as Error).message } }
  } finally {
    // Nothing is in flight once the run has an outcome, so there is nothing to abort.
    clearTimeout(timer)
  }
}
