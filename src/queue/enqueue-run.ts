import type { Vars } from '../runner/types.js'
import { newStatusKey } from '../runs/status-key.js'
import type { Run } from '../runs/types.js'
import type { RunStore } from '../storage/run-store.js'
import type { Dispatcher } from './dispatcher.js'

export interface RunRequest {
  kind: string
  endpoint: string | null
  scenario: string
  input: Vars
  timeoutMs: number
  parentRunId?: number
  depth?: number
  /** Give the caller a key for `/api/runs/:id/status`. */
  withStatusKey?: boolean
}

/**
 * Commits an async run as `queued`, then hands it to the dispatcher. The promise resolves only
 * after the commit, so an acknowledgement sent after it means the run will happen.
 */
export function makeEnqueue (runs: RunStore, dispatcher: Pick<Dispatcher, 'submit'>) {
  return async function enqueueRun (request: RunRequest): Promise<{ runId: number, statusKey?: string }> {
    const runId = await runs.allocateId()
    const key = request.withStatusKey === true ? newStatusKey() : undefined
    const run: Run = {
      id: runId,
      kind: request.kind,
      endpoint: request.endpoint,
      scenario: request.scenario,
      status: 'queued',
      async: true,
      attempt: 1,
      timeoutMs: request.timeoutMs,
      parentRunId: request.parentRunId ?? null,
      depth: request.depth ?? 0,
      input: request.input,
      output: null,
      error: null,
      steps: [],
      createdAt: Date.now(),
      startedAt: null,
      finishedAt: null
    }
    await runs.enqueue({ ...run, statusKeyHash: key?.hash })
    dispatcher.submit(run)
    return { runId, statusKey: key?.key }
  }
}

export type EnqueueRun = ReturnType<typeof makeEnqueue>
