import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { routeSchema } from '../http/route-schema.js'
import type { TurnQueue } from '../http/turn-queue.js'
import { parseOr400 } from '../http/validate.js'
import { presentRun } from '../runs/present.js'
import { RunListQuery, runListBody } from '../runs/run-list-query.js'
import type { EnqueueRun } from '../queue/enqueue-run.js'
import type { QueueWorker } from '../queue/worker.js'
import { cancelRun, replayRun } from '../runs/run-actions.js'
import type { AuditStore } from '../storage/audit-store.js'
import type { RunStore } from '../storage/run-store.js'
import type { AdminGuard } from './auth.js'

const RunParams = z.object({ id: z.coerce.number().int().positive() })

export interface RunsRoutesOptions {
  runs: RunStore
  guard: AdminGuard
  enqueue: EnqueueRun
  worker: Pick<QueueWorker, 'cancel'>
  audit: AuditStore
  /** Where list pages wait their turn, in arrival order (turn-queue.ts). */
  pageTurns: TurnQueue
}

/** The run catalog for operators: newest first, cursor-paginated. */
export const adminRunsRoutes: FastifyPluginAsync<RunsRoutesOptions> = async (app, { runs, guard, enqueue, worker, audit, pageTurns }) => {
  const actions = { runs, enqueue, worker, audit }
  app.get('/api/runs', {
    preHandler: guard('viewer'),
    schema: routeSchema({
      summary: 'List runs, newest first, with filters and cursor paging', tags: ['runs'], bearer: true, querystring: RunListQuery,
      responses: { 200: '{data: [run summary], nextCursor: string | null}', 400: 'A filter does not parse', 401: 'No or unknown token' }
    })
  }, async (request, reply) => {
    const query = parseOr400(RunListQuery, request.query, 'query')
    const body = await pageTurns.run(async () => await runListBody(runs, query))
    return await reply.type('application/json; charset=utf-8').send(body)
  })

  app.get('/api/runs/:id', {
    preHandler: guard('viewer'),
    schema: routeSchema({ summary: 'One run with its input, output, error and step log', tags: ['runs'], bearer: true, params: RunParams, responses: { 200: 'The run', 404: 'No such run' } })
  }, async (request) => {
    const { id } = parseOr400(RunParams, request.params, 'run id')
    const run = await runs.get(id)
    if (run === undefined) throw new HttpError(404, `run ${id} not found`)
    return presentRun(run)
  })

  // A new async run from the stored input (redacted, if the run had finished), linked to the old one.
  app.post('/api/runs/:id/replay', {
    preHandler: guard('admin'),
    schema: routeSchema({ summary: 'Run the same input again as a new async run (audited)', tags: ['runs'], bearer: true, params: RunParams, responses: { 202: '{runId, replayOf, statusUrl}', 403: 'Needs an admin token', 404: 'No such run' } })
  }, async (request, reply) => {
    const { id } = parseOr400(RunParams, request.params, 'run id')
    return await reply.code(202).send(await replayRun(actions, id, request.adminActor!, 'api'))
  })

  app.post('/api/runs/:id/cancel', {
    preHandler: guard('admin'),
    schema: routeSchema({ summary: 'Cancel a queued or running async run (audited)', tags: ['runs'], bearer: true, params: RunParams, responses: { 200: '{runId, status: "cancelled"}', 403: 'Needs an admin token', 404: 'No such run', 409: 'The run has finished or is sync' } })
  }, async (request) => {
    const { id } = parseOr400(RunParams, request.params, 'run id')
    return await cancelRun(actions, id, request.adminActor!, 'api')
  })
}
