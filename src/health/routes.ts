import type { FastifyPluginAsync } from 'fastify'
import { routeSchema } from '../http/route-schema.js'

export interface HealthRoutesOptions {
  /** True when the database answers. */
  databaseReachable: () => boolean
  shuttingDown: () => boolean
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  app.get('/healthz', { schema: routeSchema({ summary: 'Liveness: the process answers', tags: ['operations'], responses: { 200: '{status: "ok"}' } }) }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: routeSchema({ summary: 'Readiness: the database answers and the server is not shutting down', tags: ['operations'], responses: { 200: '{status: "ready"}', 503: '{status: reason}' } }) }, async (_request, reply) => {
    if (options.shuttingDown()) return await reply.code(503).send({ status: 'shutting down' })
    if (!options.databaseReachable()) return await reply.code(503).send({ status: 'database unreachable' })
    return { status: 'ready' }
  })
}
