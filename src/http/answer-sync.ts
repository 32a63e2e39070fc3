import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Concurrency } from '../queue/concurrency.js'
import type { QueueWorker } from '../queue/worker.js'
import { runScenario, type RunOutcome, type ScenarioRuntime } from '../runner/run-scenario.js'
import type { Vars } from '../runner/types.js'
import { HttpError } from '../errors.js'
import type { Metrics } from '../metrics/metrics.js'
import { userIdOf } from '../runs/identity.js'
import type { RetryPolicy } from '../runs/types.js'
import { replyForRun } from '../runs/reply.js'
import { runResult } from '../runs/run-result.js'
import { newStatusKey, statusUrl } from '../runs/status-key.js'
import type { RunStore } from '../storage/run-store.js'
import { sendScenarioReply } from './send-reply.js'
import type { ReplyBatch } from './write-batch.js'

export interface SyncRunDeps {
  runs: RunStore
  runtime: ScenarioRuntime
  worker: Pick<QueueWorker, 'adopt' | 'wake'>
  concurrency: Concurrency
  /** The scenario's own time limit, which a run that outlives its caller continues under. */
  asyncTimeoutMs: (scenario: string) => number
  /** Lease of a run that goes on as async (renewed by the worker). */
  leaseMs: number
  metrics?: Pick<Metrics, 'runDuration'>
  /** Where a finished run's reply waits for the others of its turn (write-batch.ts). */
  replyBatch?: Pick<ReplyBatch, 'join'>
}

/** What the caller waits for: which entry point, which scenario, and for how long. */
export interface SyncTarget {
  kind: string
  endpoint: string
  scenario: string
  timeoutMs: number
  onTimeout: 'abort' | 'continue'
  /** Runs of this entry point at once; a call beyond gets 429. */
  maxConcurrent?: number
  /** For a run that goes on as async: how often it is tried. */
  retry?: RetryPolicy
  /** Which sync runs are recorded in the catalog (default all). */
  history?: 'all' | 'errors' | 'none'
}

/**
 * Runs a scenario while the caller waits, and replies with its output. At the deadline the
 * caller gets 504 and the run is stopped — or, with `onTimeout: "continue"`, 202 with a status
 * URL while the run goes on as an async run.
 */
export async function answerSync (deps: SyncRunDeps, request: FastifyRequest, reply: FastifyReply, target: SyncTarget, input: Vars, reservedRunId?: number): Promise<void> {
  const { runs, runtime, concurrency } = deps
  if (!concurrency.tryAcquire(target.kind, target.endpoint, target.maxConcurrent)) {
    throw new HttpError(429, `"${target.endpoint}" is already running ${target.maxConcurrent} runs: try again shortly`, { headers: { 'retry-after': '1' } })
  }
  let running: Promise<RunOutcome>
  let runId: number
  const startedAt = Date.now()
  const continues = target.onTimeout === 'continue'
  const runTimeoutMs = continues ? Math.max(target.timeoutMs, deps.asyncTimeoutMs(target.scenario)) : target.timeoutMs
  // Only a run that may outlive its caller can be cancelled through the queue worker.
  const abort = continues ? new AbortController() : undefined
  try {
    runId = reservedRunId ?? await runs.allocateId()
    running = runScenario(runtime, {
      scenario: target.scenario,
      vars: input,
      extraVars: { run: { id: runId, attempt: 1 } },
      deadline: startedAt + runTimeoutMs,
      run: { runId, depth: 0, endpoint: target.endpoint, userId: userIdOf(input) },
      signal: abort?.signal
    })
  } catch (err) {
    concurrency.release(target.kind, target.endpoint)
    throw err
  }
  // The slot is held until the run ends, also when it goes on past its caller.
  void running.finally(() => concurrency.release(target.kind, target.endpoint))

  if (continues) {
    const base = { id: runId, kind: target.kind, endpoint: target.endpoint, scenario: target.scenario, input, createdAt: startedAt, startedAt }
    const replyBy = sleep(target.timeoutMs, undefined, { ref: false }).then(() => undefined)
    const first = await Promise.race([running, replyBy])
    if (first === undefined) {
      const { key, hash } = newStatusKey()
      // Committed before the 202: from here on this is an async run the catalog must not lose.
      const leaseUntil = Date.now() + deps.leaseMs
      await runs.enqueue({ ...base, status: 'running', async: true, timeoutMs: runTimeoutMs, statusKeyHash: hash, leaseUntil, retry: target.retry })
      deps.worker.adopt({
        ...base, status: 'running', async: true, attempt: 1, timeoutMs: runTimeoutMs, parentRunId: null, depth: 0, replayOf: null,
        output: null, error: null, steps: [], finishedAt: null,
        maxAttempts: target.retry?.attempts ?? 1, backoffMs: target.retry?.backoffMs ?? 1000, maxBackoffMs: target.retry?.maxBackoffMs ?? 60_000
      }, abort!, running)
      request.log.info({ runId }, 'sync run outlived its caller; continuing as async')
      reply.code(202).header('x-run-id', String(runId)).send({ runId, statusUrl: statusUrl(runId, key) })
      return
    }
  }

  const outcome: RunOutcome = await running
  const result = runResult(input, outcome)
  deps.metrics?.runDuration.observe([target.scenario, result.status], (result.finishedAt - startedAt) / 1000)
  const history = target.history ?? 'all'
  if (history === 'all' || (history === 'errors' && result.status !== 'succeeded')) {
    // The logger, not the request: a closure that held the request would keep it, its body and
    // its socket's parser state alive until the commit, past the scavenges that would free them.
    const log = request.log
    // Written out rather than spread: properties added to a spread copy cost ~1 µs each here
    // (docs/performance.md, "object spread").
    runs.record({
      id: runId, kind: target.kind, endpoint: target.endpoint, scenario: target.scenario, async: false, timeoutMs: target.timeoutMs,
      createdAt: startedAt, startedAt, status: result.status, input: result.input, output: result.output, error: result.error,
      steps: result.steps, finishedAt: result.finishedAt
    })
      .catch((err: unknown) => log.error({ err, runId }, 'could not record sync run'))
  }
  request.log.info({ runId, status: result.status, durationMs: result.finishedAt - startedAt }, 'sync run finished')
  reply.header('x-run-id', String(runId))
  // The caller waited long enough: answer and drop the connection.
  if (result.status === 'timed_out') reply.header('connection', 'close')
  deps.replyBatch?.join(reply)
  sendScenarioReply(reply, replyForRun(runId, result.status, result.output, result.error)!)
}
