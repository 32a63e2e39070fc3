import type {} from '@fastify/swagger'
import type { FastifyPluginAsync } from 'fastify'
import type { ReloadResult } from '../live/reload.js'
import type { Live } from '../live/live-state.js'
import type { QueueStats } from '../metrics/metrics.js'
import type { AuditStore } from '../storage/audit-store.js'
import type { RunStore } from '../storage/run-store.js'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { routeSchema } from '../http/route-schema.js'
import { parseOr400 } from '../http/validate.js'
import type { AdminGuard } from './auth.js'
import { listEntryPoints } from './entry-point-list.js'

export interface AdminRoutesOptions {
  guard: AdminGuard
  live: Live
  runs: RunStore
  audit: AuditStore
  reload: () => Promise<ReloadResult>
  queueStats: () => Promise<QueueStats>
  databaseReachable: () => boolean
}

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Entries older than this id: the last id of the previous page. */
  before: z.coerce.number().int().positive().optional()
}).strict()
const startedAt = Date.now()

/** Operators' API besides runs: entry points, health, reload and the audit log. */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  const { guard, live, runs, audit } = options

  app.get('/api/admin/endpoints', { preHandler: guard('viewer'), schema: routeSchema({ tags: ['admin'], bearer: true, summary: 'Every entry point with its path, state and runs of the last 24 hours', responses: { 200: '{data: [entry point]}' } }) }, async () => {
    return { data: await listEntryPoints(live.current.loaded.config, runs) }
  })

  app.get('/api/admin/health', { preHandler: guard('viewer'), schema: routeSchema({ tags: ['admin'], bearer: true, summary: 'Database, queue and process health', responses: { 200: '{status, database, queue, config, uptimeSec, rssMb}' } }) }, async () => {
    const queue = await options.queueStats()
    return {
      status: options.databaseReachable() ? 'ok' : 'degraded',
      database: options.databaseReachable(),
      queue: { depth: queue.depth, oldestQueuedAt: queue.oldestQueuedAt === null ? null : new Date(queue.oldestQueuedAt).toISOString(), inFlight: queue.inFlight },
      config: live.current.loaded.source,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      rssMb: Math.round(process.memoryUsage().rss / 1048576)
    }
  })

  app.post('/api/admin/reload', {
    preHandler: guard('admin'),
    schema: routeSchema({
      tags: ['admin'], bearer: true, summary: 'Reload the config file: validated first, the old config stays on any error (audited)',
      responses: { 200: '{ok: true, …}', 400: '{error, problems: [field path: message]}', 403: 'Needs an admin token' }
    })
  }, async (request) => {
    const result = await options.reload()
    await audit.record({ actor: request.adminActor!.name, role: request.adminActor!.role, action: 'reload', target: live.current.loaded.source, detail: result })
    if (!result.ok) throw new HttpError(400, 'config reload refused; the running config is unchanged', { extra: { problems: result.problems } })
    return result
  })

  app.get('/api/admin/audit', {
    preHandler: guard('viewer'),
    schema: routeSchema({ tags: ['admin'], bearer: true, querystring: AuditQuery, summary: 'Acting admin calls (replay, cancel, reload): who, what, when', responses: { 200: '{data: [entry]}, newest first' } })
  }, async (request) => {
    const { limit, before } = parseOr400(AuditQuery, request.query, 'query')
    return { data: await audit.list(limit, before) }
  })
}
