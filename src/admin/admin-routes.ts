import type {} from '@fastify/swagger'
import type { FastifyPluginAsync } from 'fastify'
import type { ReloadResult } from '../live/reload.js'
import type { Live } from '../live/live-state.js'
import type { QueueStats } from '../metrics/metrics.js'
import type { AuditStore } from '../storage/audit-store.js'
import type { EndpointStore } from '../storage/endpoint-store.js'
import type { RunStore } from '../storage/run-store.js'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { routeSchema } from '../http/route-schema.js'
import { parseOr400 } from '../http/validate.js'
import type { AdminGuard } from './auth.js'

export interface AdminRoutesOptions {
  guard: AdminGuard
  live: Live
  endpoints: EndpointStore
  runs: RunStore
  audit: AuditStore
  reload: () => Promise<ReloadResult>
  queueStats: () => Promise<QueueStats>
  databaseReachable: () => boolean
}

const DAY_MS = 86_400_000

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Entries older than this id: the last id of the previous page. */
  before: z.coerce.number().int().positive().optional()
}).strict()
const startedAt = Date.now()

/** Operators' API besides runs: entry points, health, reload and the audit log. */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  const { guard, live, endpoints, runs, audit } = options

  app.get('/api/admin/endpoints', { preHandler: guard('viewer'), schema: routeSchema({ tags: ['admin'], bearer: true, summary: 'Every entry point with its path, state and runs of the last 24 hours', responses: { 200: '{data: [entry point]}' } }) }, async () => {
    const since = Date.now() - DAY_MS
    const { config } = live.current.loaded
    const registered = await Promise.all((await endpoints.list()).map(async (endpoint) => ({
      kind: endpoint.kind,
      name: endpoint.slug,
      path: endpoint.kind === 'webrequest' ? `/api/webrequest/${endpoint.slug}` : '/api/event',
      scenario: endpoint.scenario,
      enabled: endpoint.enabled,
      runsLast24h: await runs.countsByStatus(endpoint.kind, endpoint.slug, since)
    })))
    const collections = Object.keys(config.collections).map((name) => ({ kind: 'collection', name, path: `/api/${name}:<action>`, enabled: true }))
    const workflows = await Promise.all(config.workflows.map(async (workflow) => ({
      kind: 'workflow', name: workflow.key, collection: workflow.collection, scenario: workflow.scenario, enabled: workflow.enabled,
      runsLast24h: await runs.countsByStatus('workflow', workflow.key, since)
    })))
    const proxy = config.clients.length === 0 ? [] : [{ kind: 'proxy', name: 'proxy', path: '/api/proxy', enabled: true, clients: config.clients.map((client) => client.id) }]
    return { data: [...registered, ...collections, ...workflows, ...proxy] }
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
