import cors from '@fastify/cors'
import type { FastifyPluginAsync } from 'fastify'
import type { MultipartConfig } from '../../config/server.js'
import { HttpError } from '../../errors.js'
import type { EnqueueRun } from '../../queue/enqueue-run.js'
import { statusUrl } from '../../runs/status-key.js'
import type { EndpointStore } from '../../storage/endpoint-store.js'
import { buildInput } from './build-input.js'
import { corsForEndpoint } from './cors.js'
import { WEBREQUEST, type WebRequestSettings } from './endpoint.js'
import { readBody } from './read-body.js'
import { answerSync, type SyncRunDeps } from '../../http/answer-sync.js'

export interface WebRequestRoutesOptions extends SyncRunDeps {
  endpoints: EndpointStore
  enqueue: EnqueueRun
  bodyLimit: number
  multipart: MultipartConfig
}

/** `ANY /api/webrequest/:slug`: sync by default, `?async=true` to be acknowledged at once. */
export const webRequestRoutes: FastifyPluginAsync<WebRequestRoutesOptions> = async (app, options) => {
  const { endpoints, enqueue } = options

  // Bodies are read as bytes and decoded by the handler: signatures need the exact bytes, and an
  // unknown slug must answer 404 before any body is judged.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body))

  await app.register(cors, { delegator: corsForEndpoint(endpoints) })

  app.route<{ Params: { slug: string }, Querystring: { async?: string } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/:slug',
    exposeHeadRoute: false,
    async handler (request, reply) {
      const endpoint = endpoints.find(WEBREQUEST, request.params.slug)
      if (endpoint === undefined || !endpoint.enabled) throw new HttpError(404, `unknown web request "${request.params.slug}"`)
      const isAsync = request.query.async === 'true'
      const decoded = await readBody(request.body as Buffer | undefined, request.headers['content-type'], options.multipart)
      const input = buildInput(request, endpoint.scenario, decoded, isAsync)
      const settings = endpoint.settings as Partial<WebRequestSettings>
      if (!isAsync) {
        return await answerSync(options, request, reply, {
          kind: WEBREQUEST,
          endpoint: endpoint.slug,
          scenario: endpoint.scenario,
          timeoutMs: endpoint.timeoutMs,
          onTimeout: settings.onTimeout ?? 'abort',
          maxConcurrent: settings.maxConcurrent,
          retry: settings.retry
        }, input)
      }

      // Committed before the acknowledgement: a 200 means the run will happen.
      const { runId, statusKey } = await enqueue({
        kind: WEBREQUEST,
        endpoint: endpoint.slug,
        scenario: endpoint.scenario,
        input,
        timeoutMs: options.asyncTimeoutMs(endpoint.scenario),
        retry: settings.retry,
        withStatusKey: true
      })
      return await reply.code(200)
        .header('x-run-id', String(runId))
        .header('x-run-status', statusUrl(runId, statusKey!))
        .send()
    }
  })
}
