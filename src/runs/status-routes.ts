import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { parseOr400 } from '../http/validate.js'
import type { RunStore } from '../storage/run-store.js'
import { replyForRun } from './reply.js'
import { statusKeyMatches } from './status-key.js'

const StatusParams = z.object({ id: z.coerce.number().int().positive() })

/**
 * `GET /api/runs/:id/status?key=…`: what the caller of an async run may see without an admin
 * token — its status and, once ended, its reply. Nothing else of the run.
 */
export const runStatusRoutes: FastifyPluginAsync<{ runs: RunStore }> = async (app, { runs }) => {
  app.get<{ Querystring: { key?: string } }>('/api/runs/:id/status', async (request) => {
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
