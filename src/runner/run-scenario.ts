import type { ScenarioExecutor } from './executor.js'
import { initialState } from './interpreter.js'
import type { IoPerformer, RunContext } from './io.js'
import type { IoResult, RunError, RunState, StepLogEntry, Vars } from './types.js'

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled'
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
  /** Aborted to cancel the run: it stops like at its deadline, as `cancelled`. */
  signal?: AbortSignal
  /** Variables the run gets besides its input (e.g. `run {id, attempt}`), not part of what is stored. */
  extraVars?: Vars
}

/** Where segments are evaluated and how their I/O is done. */
export interface ScenarioRuntime {
  executor: ScenarioExecutor
  io: IoPerformer
}

/** What a race against the deadline yields when the deadline wins (a value, not a thrown error: cheap on the hot path). */
const DEADLINE = Symbol('deadline')
const CANCELLED = Symbol('cancelled')
type Stop = typeof DEADLINE | typeof CANCELLED
/** The abort reasons handed to whatever is in flight; made once, as building errors per run costs. */
const DEADLINE_REASON = new Error('scenario timed out')
const CANCEL_REASON = new Error('run was cancelled')

function withDroppedNote (state: RunState): StepLogEntry[] {
  if (state.logDropped === undefined) return state.log
  return [...state.log, { kind: 'log', path: '', startedAt: Date.now(), durationMs: 0, status: 'skipped', error: `${state.logDropped} more step entries were not kept (log cap)` }]
}

function stoppedBy (stop: Stop, state: RunState): RunOutcome {
  if (stop === DEADLINE) return timedOut(state)
  return { status: 'cancelled', vars: state.vars, log: withDroppedNote(state), error: { message: 'run was cancelled' } }
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
  // Made when something in flight needs telling (a host segment, I/O): a bounded inline run never does.
  let stop: AbortController | undefined
  let reached: (value: Stop) => void = () => {}
  let why: Stop | undefined
  const reasonOf = (stopReason: Stop): Error => stopReason === DEADLINE ? DEADLINE_REASON : CANCEL_REASON
  const stopSignal = (): AbortSignal => {
    if (stop === undefined) {
      stop = new AbortController()
      if (why !== undefined) stop.abort(reasonOf(why))
    }
    return stop.signal
  }
  const halt = (reason: Stop): void => {
    if (why !== undefined) return
    why = reason
    stop?.abort(reasonOf(reason))
    reached(reason)
  }
  // The deadline's timer and the promise a wait races against are made with the first wait that
  // can outlast a turn of the loop: a segment that settles within its turn cannot be overtaken by
  // a timer, and most sync runs are one such segment (a timer and a race cost ~2 µs a run).
  let timer: NodeJS.Timeout | undefined
  let stopped: Promise<Stop> | undefined
  const stoppedAt = (): Promise<Stop> => {
    if (stopped !== undefined) return stopped
    stopped = why !== undefined ? Promise.resolve(why) : new Promise<Stop>((resolve) => { reached = resolve })
    timer = setTimeout(() => halt(DEADLINE), Math.max(0, job.deadline - Date.now()))
    return stopped
  }
  const settlesInTurn = executor.settlesInTurn?.(job.scenario) === true
  const cancel = (): void => halt(CANCELLED)
  if (job.signal?.aborted === true) cancel()
  job.signal?.addEventListener('abort', cancel, { once: true })
  const release = executor.retain?.()
  // A copy: steps assign variables, and the caller keeps the input as it came.
  // Object.assign onto a literal, not two spreads: adding the second object's keys to a spread
  // copy cost ~1.8 µs a run against ~0.2 (docs/performance.md, "object spread").
  let state = initialState(Object.assign({}, job.vars, job.extraVars))
  let io: IoResult | undefined
  try {
    for (;;) {
      if (why !== undefined) return stoppedBy(why, state)
      const running = executor.runSegment(job.scenario, state, { deadline: job.deadline, io }, stopSignal)
      const segment = settlesInTurn ? await running : await Promise.race([running, stoppedAt()])
      if (segment === DEADLINE || segment === CANCELLED) return stoppedBy(segment, state)
      // A cancellation that came while the segment ran (from another promise chain of the turn).
      if (why !== undefined) return stoppedBy(why, state)
      state = segment.state
      switch (segment.type) {
        case 'done': return { status: 'succeeded', vars: state.vars, log: withDroppedNote(state) }
        case 'failed': return { status: 'failed', vars: state.vars, log: withDroppedNote(state), error: segment.error }
        case 'timed_out': return timedOut(state)
        case 'io': {
          const result = await Promise.race([
            performIo(segment.io, job.run, stopSignal()).catch((err: Error): IoResult | Stop =>
              why ?? { ok: false, error: err.message }),
            stoppedAt()
          ])
          if (result === DEADLINE || result === CANCELLED) return stoppedBy(result, state)
          io = result
        }
      }
    }
  } catch (err) {
    if (why !== undefined) return stoppedBy(why, state)
    return { status: 'failed', vars: state.vars, log: withDroppedNote(state), error: { message: (err as Error).message } }
  } finally {
    // Nothing is in flight once the run has an outcome, so there is nothing to abort.
    clearTimeout(timer)
    job.signal?.removeEventListener('abort', cancel)
    release?.()
  }
}
