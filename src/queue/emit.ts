import { randomUUID } from 'node:crypto'
import type { RunContext } from '../runner/io.js'
import type { EnqueueRun } from './enqueue-run.js'

export interface EmitOptions {
  enqueue: EnqueueRun
  /** The async time limit of a scenario, or undefined when there is no such scenario. */
  timeoutOf: (scenario: string) => number | undefined
  /** Longest chain of emits, counted from the run a request started. */
  maxDepth: number
}

/**
 * The `emit` step's I/O: starts another scenario as its own async run, linked to its parent.
 * Chains are capped, so a scenario that emits itself stops instead of looping forever.
 */
export function makeEmit ({ enqueue, timeoutOf, maxDepth }: EmitOptions) {
  return async function emitRun (request: { scenario: string, input: unknown }, parent: RunContext): Promise<{ runId: number }> {
    const timeoutMs = timeoutOf(request.scenario)
    if (timeoutMs === undefined) throw new Error(`unknown scenario "${request.scenario}"`)
    const depth = parent.depth + 1
    if (depth > maxDepth) {
      throw new Error(`emit chain limit reached: run ${parent.runId} is ${parent.depth} emits deep (runner.maxEmitDepth = ${maxDepth}); "${request.scenario}" not started`)
    }
    const { runId } = await enqueue({
      kind: 'emit',
      endpoint: null,
      scenario: request.scenario,
      input: {
        event: { id: randomUUID(), type: '$emit', parentRunId: parent.runId },
        script: { id: request.scenario },
        user: { id: null },
        body: request.input ?? null
      },
      timeoutMs,
      parentRunId: parent.runId,
      depth
    })
    return { runId }
  }
}
