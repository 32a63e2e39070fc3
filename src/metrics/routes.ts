import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { routeSchema } from '../http/route-schema.js'
import type { Metrics } from './metrics.js'

export interface MetricsRoutesOptions {
  metrics: Metrics
  /** Who may read them: undefined when `metrics.public` is set. */
  guard?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
}

/** `/metrics` in Prometheus' text format. */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, { metrics, guard }) => {
  app.get('/metrics', { preHandler: guard, schema: routeSchema({ tags: ['operations'], summary: 'Prometheus metrics (a viewer token unless metrics.public)', bearer: true, responses: { 200: 'Prometheus text format' } }) }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return await metrics.registry.metrics()
  })
}
