import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { routeSchema } from '../http/route-schema.js'
import { parseOr400 } from '../http/validate.js'
import { presentRun } from '../runs/present.js'
import { RUN_STATUSES } from '../runs/types.js'
import type { EnqueueRun } from '../queue/enqueue-run.js'
import type { QueueWorker } from '../queue/worker.js'
import { statusUrl } from '../runs/status-key.js'
import type { AuditStore } from '../storage/audit-store.js'
import type { RunStore } from '../storage/run-store.js'
import type { AdminGuard } from './auth.js'

const Instant = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso))])

const RunListQuery = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  endpoint: z.string().min(1).max(128).optional(),
  scenario: z.string().min(1).max(128).optional(),
  /** Created at or after / before: ISO 8601 or epoch milliseconds. */
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, 'is not a cursor from this API').optional()
}).strict()

const RunParams = z.object({ id: z.coerce.number().int().positive() })

export interface RunsRoutesOptions {
  runs: RunStore
  guard: AdminGuard
  enqueue: EnqueueRun
  worker: Pick<QueueWorker, 'cancel'>
  audit: AuditStore
}

/** The run catalog for operators: newest first, cursor-paginated. */
export const adminRunsRoutes: FastifyPluginAsync<RunsRoutesOptions> = async (app, { runs, guard, enqueue, worker, audit }) => {
  app.get('/api/runs', {
    preHandler: guard('viewer'),
    schema: routeSchema({
      summary: 'List runs, newest first, with filters and cursor paging', tags: ['runs'], bearer: true, querystring: RunListQuery,
      responses: { 200: '{data: [run summary], nextCursor: string | null}', 400: 'A filter does not parse', 401: 'No or unknown token' }
    })
  }, async (request) => {
    const query = parseOr400(RunListQuery, request.query, 'query')
    const page = await runs.list({
      status: query.status,
      endpoint: query.endpoint,
      scenario: query.scenario,
      from: query.from,
      to: query.to,
      limit: query.limit + 1,
      beforeId: query.cursor === undefined ? undefined : Number(query.cursor)
    })
    const data = page.slice(0, query.limit)
    return {
      data: data.map(presentRun),
      nextCursor: page.length > query.limit ? String(data[data.length - 1].id) : null
    }
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
    const run = await runs.get(id)
    if (run === undefined) throw new HttpError(404, `run ${id} not found`)
    const { runId, statusKey } = await enqueue({
      kind: run.kind, endpoint: run.endpoint, scenario: run.scenario, input: run.input, timeoutMs: run.timeoutMs,
      depth: run.depth, parentRunId: run.parentRunId ?? undefined, replayOf: run.id, withStatusKey: true
    })
    await audit.record({ actor: request.adminActor!.name, role: request.adminActor!.role, action: 'replay', target: `run ${run.id}`, detail: { newRunId: runId } })
    return await reply.code(202).send({ runId, replayOf: run.id, statusUrl: statusUrl(runId, statusKey!) })
  })

  app.post('/api/runs/:id/cancel', {
    preHandler: guard('admin'),
    schema: routeSchema({ summary: 'Cancel a queued or running async run (audited)', tags: ['runs'], bearer: true, params: RunParams, responses: { 200: '{runId, status: "cancelled"}', 403: 'Needs an admin token', 404: 'No such run', 409: 'The run has finished or is sync' } })
  }, async (request) => {
    const { id } = parseOr400(RunParams, request.params, 'run id')
    const run = await runs.get(id)
    if (run === undefined) throw new HttpError(404, `run ${id} not found`)
    if (!await worker.cancel(id)) throw new HttpError(409, `run ${id} is ${run.status}: only queued or running async runs can be cancelled`)
    await audit.record({ actor: request.adminActor!.name, role: request.adminActor!.role, action: 'cancel', target: `run ${id}` })
    return { runId: id, status: 'cancelled' }
  })
}
