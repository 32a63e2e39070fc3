import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { routeSchema } from '../http/route-schema.js'
import { parseOr400 } from '../http/validate.js'
import type { RunStore } from '../storage/run-store.js'
import { replyForRun } from './reply.js'
import { statusKeyMatches } from './status-key.js'

const StatusParams = z.object({ id: z.coerce.number().int().positive() })
const StatusQuery = z.object({ key: z.string().min(1).describe('The status key from the async reply') })

/**
 * `GET /api/runs/:id/status?key=…`: what the caller of an async run may see without an admin
 * token — its status and, once ended, its reply. Nothing else of the run.
 */
export const runStatusRoutes: FastifyPluginAsync<{ runs: RunStore }> = async (app, { runs }) => {
  app.get<{ Querystring: { key?: string } }>('/api/runs/:id/status', {
    schema: routeSchema({
      summary: 'Status of an async run, and its reply once ended', tags: ['runs'], params: StatusParams, querystring: StatusQuery,
      responses: { 200: '{runId, status, reply}', 401: 'Missing key', 403: 'Wrong key or unknown run' }
    })
  }, async (request) => {
    const { id } = parseOr400(StatusParams, request.params, 'run id')
    const key = request.query.key
    if (typeof key !== 'string' || key === '') throw new HttpError(401, 'missing status key')
    const view = await runs.statusView(id)
    // An unknown run and a wrong key answer alike.
    if (view === undefined || view.statusKeyHash === null || !statusKeyMatches(key, view.statusKeyHash)) {
      throw new HttpError(403, 'invalid status key for this run')
    }
    return { runId: view.id, status: view.status, reply: replyForRun(view.id, view.status, view.output, view.error) }
  })
}
