import type { FastifyPluginAsync } from 'fastify'

export interface HealthRoutesOptions {
  /** True when the database answers. */
  databaseReachable: () => boolean
  shuttingDown: () => boolean
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    if (options.shuttingDown()) return await reply.code(503).send({ status: 'shutting down' })
    if (!options.databaseReachable()) return await reply.code(503).send({ status: 'database unreachable' })
    return { status: 'ready' }
  })
}
