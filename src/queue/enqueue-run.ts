import { HttpError } from '../errors.js'
import type { Vars } from '../runner/types.js'
import { newStatusKey } from '../runs/status-key.js'
import type { RetryPolicy } from '../runs/types.js'
import type { RunStore } from '../storage/run-store.js'
import type { QueueDepth } from './queue-depth.js'

export interface RunRequest {
  kind: string
  endpoint: string | null
  scenario: string
  input: Vars
  timeoutMs: number
  parentRunId?: number
  depth?: number
  replayOf?: number
  retry?: RetryPolicy
  /** Give the caller a key for `/api/runs/:id/status`. */
  withStatusKey?: boolean
}

export interface EnqueueDeps {
  runs: RunStore
  depth: QueueDepth
  maxDepth: number
  /** Tells the queue worker there is work. */
  wake: () => void
}

/** The 503 for a full queue: the caller should come back, nothing was stored. */
export const queueFull = (maxDepth: number): HttpError =>
  new HttpError(503, `the run queue is full (${maxDepth} runs waiting): try again later`, { headers: { 'retry-after': '5' } })

/**
 * Commits an async run as `queued`, then wakes the queue. The promise resolves only after the
 * commit, so an acknowledgement sent after it means the run will happen; a full queue refuses.
 */
export function makeEnqueue ({ runs, depth, maxDepth, wake }: EnqueueDeps) {
  return async function enqueueRun (request: RunRequest): Promise<{ runId: number, statusKey?: string }> {
    if (await depth.current() >= maxDepth) throw queueFull(maxDepth)
    const runId = await runs.allocateId()
    const key = request.withStatusKey === true ? newStatusKey() : undefined
    await runs.enqueue({
      id: runId,
      kind: request.kind,
      endpoint: request.endpoint,
      scenario: request.scenario,
      status: 'queued',
      async: true,
      timeoutMs: request.timeoutMs,
      input: request.input,
      createdAt: Date.now(),
      parentRunId: request.parentRunId,
      depth: request.depth,
      replayOf: request.replayOf,
      retry: request.retry,
      statusKeyHash: key?.hash
    })
    depth.added()
    wake()
    return { runId, statusKey: key?.key }
  }
}

export type EnqueueRun = ReturnType<typeof makeEnqueue>
