import cors from '@fastify/cors'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { MultipartConfig } from '../../config/server.js'
import { HttpError } from '../../errors.js'
import { sendScenarioReply } from '../../http/send-reply.js'
import type { Dispatcher } from '../../queue/dispatcher.js'
import type { ScenarioExecutor } from '../../runner/executor.js'
import { runScenario } from '../../runner/run-scenario.js'
import type { CompiledScenario } from '../../runner/types.js'
import { replyForRun } from '../../runs/reply.js'
import { runResult } from '../../runs/run-result.js'
import { newStatusKey, statusUrl } from '../../runs/status-key.js'
import type { EndpointStore, Endpoint } from '../../storage/endpoint-store.js'
import type { RunStore } from '../../storage/run-store.js'
import { buildInput } from './build-input.js'
import { corsForEndpoint } from './cors.js'
import { WEBREQUEST } from './endpoint.js'
import { readBody } from './read-body.js'

export interface WebRequestRoutesOptions {
  endpoints: EndpointStore
  runs: RunStore
  executor: ScenarioExecutor
  dispatcher: Dispatcher
  scenarios: ReadonlyMap<string, CompiledScenario>
  bodyLimit: number
  multipart: MultipartConfig
}

type SlugRequest = FastifyRequest<{ Params: { slug: string }, Querystring: { async?: string } }>

/** `ANY /api/webrequest/:slug`: sync by default, `?async=true` to be acknowledged at once. */
export const webRequestRoutes: FastifyPluginAsync<WebRequestRoutesOptions> = async (app, options) => {
  const { endpoints, runs, executor, dispatcher, scenarios } = options

  // Bodies are read as bytes and decoded by the handler: signatures need the exact bytes, and an
  // unknown slug must answer 404 before any body is judged.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body))

  await app.register(cors, { delegator: corsForEndpoint(endpoints) })

  async function runSync (request: SlugRequest, reply: FastifyReply, endpoint: Endpoint, input: Record<string, unknown>) {
    const runId = await runs.allocateId()
    const startedAt = Date.now()
    const outcome = await runScenario(executor, { scenario: endpoint.scenario, vars: input, deadline: startedAt + endpoint.timeoutMs })
    const result = runResult(input, outcome)
    runs.record({
      id: runId, kind: WEBREQUEST, endpoint: endpoint.slug, scenario: endpoint.scenario, async: false,
      timeoutMs: endpoint.timeoutMs, createdAt: startedAt, startedAt, ...result
    }).catch((err: unknown) => request.log.error({ err, runId }, 'could not record sync run'))
    request.log.info({ runId, status: result.status, durationMs: result.finishedAt - startedAt }, 'sync run finished')
    reply.header('x-run-id', String(runId))
    if (result.status === 'timed_out') {
      // The caller waited long enough: answer and drop the connection.
      reply.header('connection', 'close')
    }
    return sendScenarioReply(reply, replyForRun(runId, result.status, result.output, result.error)!)
  }

  async function runAsync (reply: FastifyReply, endpoint: Endpoint, input: Record<string, unknown>) {
    const runId = await runs.allocateId()
    const { key, hash } = newStatusKey()
    const timeoutMs = scenarios.get(endpoint.scenario)?.timeoutMs ?? 300_000
    const run = {
      id: runId, kind: WEBREQUEST, endpoint: endpoint.slug, scenario: endpoint.scenario, status: 'queued' as const,
      async: true, timeoutMs, input, createdAt: Date.now(), statusKeyHash: hash
    }
    // Committed before the acknowledgement: a 200 means the run will happen.
    await runs.enqueue(run)
    dispatcher.submit({ ...run, attempt: 1, parentRunId: null, output: null, error: null, steps: [], startedAt: null, finishedAt: null })
    return reply.code(200)
      .header('x-run-id', String(runId))
      .header('x-run-status', statusUrl(runId, key))
      .send()
  }

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
      return isAsync ? await runAsync(reply, endpoint, input) : await runSync(request, reply, endpoint, input)
    }
  })
}
