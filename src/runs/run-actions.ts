import type { AdminActor } from '../admin/auth.js'
import { HttpError } from '../errors.js'
import type { EnqueueRun } from '../queue/enqueue-run.js'
import type { QueueWorker } from '../queue/worker.js'
import type { AuditStore } from '../storage/audit-store.js'
import type { RunStore } from '../storage/run-store.js'
import { statusUrl } from './status-key.js'

export interface RunActionDeps {
  runs: RunStore
  enqueue: EnqueueRun
  worker: Pick<QueueWorker, 'cancel'>
  audit: AuditStore
}

/** Where an acting call came from, for the audit log. */
export type Via = 'api' | 'console'

/**
 * A new async run from the stored input (redacted, if the run had finished), linked to the old
 * one and audited. The admin API and the console both act through here.
 */
export async function replayRun (deps: RunActionDeps, id: number, actor: AdminActor, via: Via) {
  const run = await deps.runs.get(id)
  if (run === undefined) throw new HttpError(404, `run ${id} not found`)
  const { runId, statusKey } = await deps.enqueue({
    kind: run.kind, endpoint: run.endpoint, scenario: run.scenario, input: run.input, timeoutMs: run.timeoutMs,
    depth: run.depth, parentRunId: run.parentRunId ?? undefined, replayOf: run.id, withStatusKey: true
  })
  await deps.audit.record({ actor: actor.name, role: actor.role, action: 'replay', target: `run ${run.id}`, detail: { newRunId: runId, via } })
  return { runId, replayOf: run.id, statusUrl: statusUrl(runId, statusKey!) }
}

/** Stops a queued or running async run (audited); anything else is a 409. */
export async function cancelRun (deps: RunActionDeps, id: number, actor: AdminActor, via: Via) {
  const run = await deps.runs.get(id)
  if (run === undefined) throw new HttpError(404, `run ${id} not found`)
  if (!await deps.worker.cancel(id)) throw new HttpError(409, `run ${id} is ${run.status}: only queued or running async runs can be cancelled`)
  await deps.audit.record({ actor: actor.name, role: actor.role, action: 'cancel', target: `run ${id}`, detail: { via } })
  return { runId: id, status: 'cancelled' as const }
}
