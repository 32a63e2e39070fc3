import type { Logger } from 'pino'
import type { QueueConfig } from '../config/queue.js'
import { runScenario, type RunOutcome, type ScenarioRuntime } from '../runner/run-scenario.js'
import { userIdOf } from '../runs/identity.js'
import { runResult } from '../runs/run-result.js'
import type { RunEnding } from '../runs/types.js'
import type { QueueStore, ClaimedRun, Saturated } from '../storage/queue-store.js'
import type { RunStore } from '../storage/run-store.js'
import { backoffDelay } from './backoff.js'
import type { Concurrency } from './concurrency.js'
import { createLoopPressure, type LoopPressure } from './loop-pressure.js'
import type { Metrics } from '../metrics/metrics.js'

export interface QueueWorkerOptions {
  queue: QueueStore
  runs: RunStore
  runtime: ScenarioRuntime
  concurrency: Concurrency
  /** An entry point's `maxConcurrent`, if it has one. */
  maxConcurrentOf: (kind: string, endpoint: string | null) => number | undefined
  config: QueueConfig
  log: Logger
  metrics?: Pick<Metrics, 'retries' | 'dead' | 'runDuration'>
  random?: () => number
  /** Whether the event loop is saturated (default: Node's event loop utilisation). */
  pressure?: LoopPressure
}

interface InFlight {
  abort: AbortController
  done: Promise<void>
}

/**
 * Executes queued runs: claims due ones in batches (never more than `queue.concurrency` at once,
 * nor more than an endpoint's `maxConcurrent`), renews their leases while they run, and settles
 * each: succeeded, retried later with backoff, `dead` after its last attempt, or `cancelled`.
 */
export function createQueueWorker (options: QueueWorkerOptions) {
  const { queue, runs, runtime, concurrency, config, log } = options
  const pressure = options.pressure ?? createLoopPressure()
  const inFlight = new Map<number, InFlight>()
  let closed = false
  let claiming = false
  let again = false
  let poller: NodeJS.Timeout | undefined
  let renewer: NodeJS.Timeout | undefined
  /** Cancels the claim that is due, if one is. */
  let cancelClaim: (() => void) | undefined
  let lastEnqueueAt = 0
  let lastClaimAt = 0

  async function settle (run: ClaimedRun, outcome: RunOutcome): Promise<void> {
    const result = runResult(run.input, outcome)
    // A `fail` step ends a run on purpose: trying again would only fail again.
    const failedAttempt = (outcome.status === 'failed' || outcome.status === 'timed_out') && outcome.error?.deliberate !== true
    if (failedAttempt && run.attempt < run.maxAttempts) {
      const wait = backoffDelay(run.attempt, run, options.random)
      await queue.retryLater(run.id, Date.now() + wait, outcome.error ?? { message: outcome.status }, result.steps)
      options.metrics?.retries.inc({ scenario: run.scenario })
      log.warn({ runId: run.id, attempt: run.attempt, retryInMs: wait }, 'async run failed; retrying')
      return
    }
    // Out of attempts: a run with a retry policy is dead; one without keeps its own status.
    const status = failedAttempt && run.maxAttempts > 1 ? 'dead' : result.status
    // Not awaited: the slot frees now and the result commits with the next lazy batch (close()
    // flushes it). Until then the run stays `running` under its lease, so no claim takes it again;
    // a result that cannot be written leaves it to its lease, and it runs again.
    // An input with nothing to redact is not written again.
    const ending: RunEnding = {
      status, input: result.input === run.input ? undefined : result.input, output: result.output, error: result.error, steps: result.steps, finishedAt: result.finishedAt
    }
    // The id, not the run: the catch lives until the commit, and the run (its input) need not.
    const runId = run.id
    runs.finish(runId, ending).catch((err: unknown) => { log.error({ err, runId }, 'async run result could not be recorded') })
    if (status === 'dead') options.metrics?.dead.inc({ scenario: run.scenario })
    if (run.startedAt !== null) options.metrics?.runDuration.observe([run.scenario, status], (result.finishedAt - run.startedAt) / 1000)
    log.info({ runId: run.id, scenario: run.scenario, status, attempt: run.attempt }, 'async run finished')
  }

  /** Waits for a run's outcome and settles it; a run stopped by shutdown is left for `close`. */
  async function track (run: ClaimedRun, abort: AbortController, outcome: Promise<RunOutcome>): Promise<void> {
    try {
      const ended = await outcome
      if (ended.status === 'cancelled' && abort.signal.reason === SHUTDOWN) return
      await settle(run, ended)
    } catch (err) {
      // Left running: its lease runs out and it is claimed again.
      log.error({ err, runId: run.id }, 'async run could not be settled')
    }
  }

  function execute (run: ClaimedRun, abort: AbortController): Promise<void> {
    return track(run, abort, runScenario(runtime, {
      scenario: run.scenario,
      // `run {id, attempt}` lets a scenario stay idempotent across attempts (delivery is at-least-once).
      vars: run.input,
      extraVars: { run: { id: run.id, attempt: run.attempt } },
      deadline: Date.now() + run.timeoutMs,
      run: { runId: run.id, depth: run.depth, endpoint: run.endpoint, userId: userIdOf(run.input) },
      signal: abort.signal
    }))
  }

  function isFull (kind: string, endpoint: string | null): boolean {
    const max = options.maxConcurrentOf(kind, endpoint)
    return max !== undefined && endpoint !== null && concurrency.count(kind, endpoint) >= max
  }

  function saturated (): Saturated[] {
    return concurrency.busy().flatMap(({ kind, endpoint }) => isFull(kind, endpoint) ? [{ kind, endpoint: endpoint! }] : [])
  }

  function start (run: ClaimedRun): void {
    const abort = new AbortController()
    concurrency.acquire(run.kind, run.endpoint)
    const done = execute(run, abort).finally(() => {
      inFlight.delete(run.id)
      concurrency.release(run.kind, run.endpoint)
      claimSoon(true)
    })
    inFlight.set(run.id, { abort, done })
  }

  async function claim (): Promise<void> {
    if (closed) return
    if (claiming) {
      again = true
      return
    }
    claiming = true
    lastClaimAt = Date.now()
    try {
      do {
        again = false
        while (!closed && inFlight.size < config.concurrency) {
          const now = Date.now()
          const batch = await queue.claim(now, now + config.leaseMs, config.concurrency - inFlight.size, saturated())
          for (const run of batch) {
            // One batch can hold several runs of an endpoint with `maxConcurrent`: those beyond it
            // go back to the queue, first in line (the next claim skips the endpoint while full).
            if (isFull(run.kind, run.endpoint)) await queue.release(run.id)
            else start(run)
          }
          if (batch.length === 0) break
        }
      } while (again && !closed)
    } catch (err) {
      log.error({ err }, 'could not claim queued runs')
    } finally {
      claiming = false
    }
  }

  /**
   * After a run ends or is enqueued, claim soon, so that everything happening meanwhile shares one
   * claim (a claim is a write transaction; one per run cost more than the runs of a one-step
   * scenario). While runs are being enqueued, within 1–2 ms: claiming at every turn of the event
   * loop took 10–20 % off intake. With no intake, at the end of the loop's turn: a timer there
   * kept the queue waiting (a backlog drained at 4 700 runs/s, against 11 900 this way).
   *
   * While intake keeps the event loop saturated, accepting comes first: a claim waits until
   * `SATURATED_CLAIM_EVERY_MS` after the previous one. Intake is what callers wait on, and
   * everything it acknowledged is already on disk; executing on the same thread meanwhile took
   * 30–40 % off intake. Runs keep moving (a claim at least that often), and once the loop has
   * slack again the backlog drains at full speed.
   */
  function claimSoon (runEnded: boolean): void {
    if (cancelClaim !== undefined || closed) return
    const claimNow = (): void => {
      cancelClaim = undefined
      void claim()
    }
    const intake = Date.now() - lastEnqueueAt <= INTAKE_QUIET_MS
    const deferFor = intake && pressure.saturated() ? lastClaimAt + SATURATED_CLAIM_EVERY_MS - Date.now() : 0
    if (deferFor > 0) {
      const timer = setTimeout(claimNow, deferFor)
      cancelClaim = () => { clearTimeout(timer) }
      return
    }
    if (runEnded && !intake) {
      const immediate = setImmediate(claimNow)
      cancelClaim = () => { clearImmediate(immediate) }
      return
    }
    const timer = setTimeout(claimNow, inFlight.size <= Math.floor(config.concurrency / 2) ? 1 : CLAIM_COALESCE_MS)
    cancelClaim = () => { clearTimeout(timer) }
  }

  async function renewLeases (): Promise<void> {
    if (inFlight.size === 0) return
    try {
      const cancelled = await queue.renew([...inFlight.keys()], Date.now() + config.leaseMs)
      for (const id of cancelled) inFlight.get(id)?.abort.abort(CANCEL)
    } catch (err) {
      log.error({ err }, 'could not renew run leases')
    }
  }

  return {
    /** Starts polling; runs a dead process left `running` are handed back to the queue first. */
    async start (): Promise<number> {
      const released = await queue.releaseAll()
      poller = setInterval(() => { void claim() }, config.pollMs)
      renewer = setInterval(() => { void renewLeases() }, Math.max(100, Math.floor(config.leaseMs / 3)))
      poller.unref()
      renewer.unref()
      void claim()
      return released
    },

    /** Something was just enqueued: look now (or within a few ms, with others) rather than at the next poll. */
    wake (): void {
      lastEnqueueAt = Date.now()
      claimSoon(false)
    },

    /**
     * Takes over a run already executing outside the queue (a sync run that went on as async,
     * committed as `running`): its lease is renewed, it can be cancelled, it is settled like any
     * queued run, and shutdown hands it back to the queue.
     */
    adopt (run: ClaimedRun, abort: AbortController, outcome: Promise<RunOutcome>): void {
      const done = track(run, abort, outcome).finally(() => inFlight.delete(run.id))
      inFlight.set(run.id, { abort, done })
    },

    /**
     * Cancels a run: stops it if it runs here, marks it cancelled if it waits, or asks the
     * instance running it to stop it and waits (up to a lease) until it has.
     */
    async cancel (runId: number): Promise<boolean> {
      const running = inFlight.get(runId)
      if (running !== undefined) {
        running.abort.abort(CANCEL)
        await running.done
        return true
      }
      if (await queue.cancelWaiting(runId, Date.now(), { message: 'run was cancelled' })) return true
      if (!await queue.requestCancel(runId, Date.now())) return false
      const until = Date.now() + config.leaseMs
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        const status = await queue.status(runId)
        if (status !== 'running') return status === 'cancelled'
      }
      return false
    },

    get inFlight (): number { return inFlight.size },

    /**
     * Stops claiming, gives runs in flight `graceMs` to finish, then stops the rest and hands them
     * back to the queue (the next start runs them again, from the beginning).
     */
    async close (graceMs: number): Promise<void> {
      closed = true
      clearInterval(poller)
      clearInterval(renewer)
      cancelClaim?.()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...inFlight.values()].map(async ({ done }) => await done)),
        new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })
      ])
      clearTimeout(timer)
      const unfinished = [...inFlight.entries()]
      for (const [, { abort }] of unfinished) abort.abort(SHUTDOWN)
      await Promise.allSettled(unfinished.map(async ([, { done }]) => await done))
      for (const [id] of unfinished) await queue.release(id)
    }
  }
}

/** Claims wait this long after the latest enqueue before they stop coalescing for intake. */
const INTAKE_QUIET_MS = 5
const CLAIM_COALESCE_MS = 2
/** While intake saturates the loop, claims come this far apart: at least `concurrency` runs per 25 ms keep moving. */
const SATURATED_CLAIM_EVERY_MS = 25

/** Abort reasons: a cancel ends the run `cancelled`; a shutdown hands it back to the queue. */
const CANCEL = Symbol('cancel')
const SHUTDOWN = Symbol('shutdown')

export type QueueWorker = ReturnType<typeof createQueueWorker>
