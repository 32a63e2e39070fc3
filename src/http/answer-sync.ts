import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from '../queue/dispatcher.js'
import { runScenario, type RunOutcome, type ScenarioRuntime } from '../runner/run-scenario.js'
import type { Vars } from '../runner/types.js'
import { userIdOf } from '../runs/identity.js'
import { replyForRun } from '../runs/reply.js'
import { runResult } from '../runs/run-result.js'
import { newStatusKey, statusUrl } from '../runs/status-key.js'
import type { RunStore } from '../storage/run-store.js'
import { sendScenarioReply } from './send-reply.js'

export interface SyncRunDeps {
  runs: RunStore
  runtime: ScenarioRuntime
  dispatcher: Pick<Dispatcher, 'adopt'>
  /** The scenario's own time limit, which a run that outlives its caller continues under. */
  asyncTimeoutMs: (scenario: string) => number
}

/** What the caller waits for: which entry point, which scenario, and for how long. */
export interface SyncTarget {
  kind: string
  endpoint: string
  scenario: string
  timeoutMs: number
  onTimeout: 'abort' | 'continue'
}

/**
 * Runs a scenario while the caller waits, and replies with its output. At the deadline the
 * caller gets 504 and the run is stopped — or, with `onTimeout: "continue"`, 202 with a status
 * URL while the run goes on as an async run.
 */
export async function answerSync (deps: SyncRunDeps, request: FastifyRequest, reply: FastifyReply, target: SyncTarget, input: Vars): Promise<FastifyReply> {
  const { runs, runtime } = deps
  const runId = await runs.allocateId()
  const startedAt = Date.now()
  const continues = target.onTimeout === 'continue'
  const runTimeoutMs = continues ? Math.max(target.timeoutMs, deps.asyncTimeoutMs(target.scenario)) : target.timeoutMs
  const running = runScenario(runtime, {
    scenario: target.scenario,
    vars: input,
    deadline: startedAt + runTimeoutMs,
    run: { runId, depth: 0, endpoint: target.endpoint, userId: userIdOf(input) }
  })
  const base = { id: runId, kind: target.kind, endpoint: target.endpoint, scenario: target.scenario, input, createdAt: startedAt, startedAt }

  if (continues) {
    const replyBy = sleep(target.timeoutMs, undefined, { ref: false }).then(() => undefined)
    const first = await Promise.race([running, replyBy])
    if (first === undefined) {
      const { key, hash } = newStatusKey()
      // Committed before the 202: from here on this is an async run the catalog must not lose.
      await runs.enqueue({ ...base, status: 'running', async: true, timeoutMs: runTimeoutMs, statusKeyHash: hash })
      deps.dispatcher.adopt(running.then(async (outcome) => await runs.finish(runId, runResult(input, outcome))))
      request.log.info({ runId }, 'sync run outlived its caller; continuing as async')
      return await reply.code(202).header('x-run-id', String(runId)).send({ runId, statusUrl: statusUrl(runId, key) })
    }
  }

  const outcome: RunOutcome = await running
  const result = runResult(input, outcome)
  runs.record({ ...base, async: false, timeoutMs: target.timeoutMs, ...result })
    .catch((err: unknown) => request.log.error({ err, runId }, 'could not record sync run'))
  request.log.info({ runId, status: result.status, durationMs: result.finishedAt - startedAt }, 'sync run finished')
  reply.header('x-run-id', String(runId))
  // The caller waited long enough: answer and drop the connection.
  if (result.status === 'timed_out') reply.header('connection', 'close')
  return sendScenarioReply(reply, replyForRun(runId, result.status, result.output, result.error)!)
}
