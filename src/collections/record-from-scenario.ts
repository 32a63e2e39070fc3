import type { RunContext } from '../runner/io.js'
import type { RecordRequest } from '../runner/types.js'
import { ActionError, performAction, type ActionDeps, type ActionResult } from './perform-action.js'

/** A whole number in 1..max, or the fallback. */
const whole = (value: unknown, fallback: number, max: number): number =>
  Number.isSafeInteger(value) && (value as number) >= 1 ? Math.min(max, value as number) : fallback

/**
 * The `record` step's I/O: a collection action on behalf of a scenario (trusted, so no role
 * check). Workflows it triggers count as one more link in the run's chain, capped like emits.
 */
export async function recordFromScenario (deps: ActionDeps, request: RecordRequest, run: RunContext, maxDepth: number): Promise<ActionResult> {
  if (request.triggerWorkflows && run.depth + 1 > maxDepth) {
    throw new Error(`workflow chain limit reached: run ${run.runId} is ${run.depth} links deep (runner.maxEmitDepth = ${maxDepth})`)
  }
  try {
    return await performAction(deps, {
      collection: request.collection,
      action: request.action,
      body: request.values,
      filterByTk: request.filterByTk,
      list: request.action === 'list'
        ? { page: whole(request.page, 1, 1_000_000), pageSize: whole(request.pageSize, 20, 1000), filter: request.filter, sort: request.sort }
        : undefined,
      triggers: [],
      globals: request.triggerWorkflows,
      actor: { userId: null, role: null },
      parent: run
    })
  } catch (err) {
    if (err instanceof ActionError) throw new Error(`${request.collection}:${request.action}: ${err.problems.join('; ')}`)
    throw err
  }
}
