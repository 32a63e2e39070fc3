import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { MultipartConfig } from '../../config/server.js'
import { HttpError } from '../../errors.js'
import { answerSync, type SyncRunDeps } from '../../http/answer-sync.js'
import { routeSchema } from '../../http/route-schema.js'
import { sendScenarioReply } from '../../http/send-reply.js'
import type { EnqueueRun } from '../../queue/enqueue-run.js'
import type { Vars } from '../../runner/types.js'
import { replyForRun } from '../../runs/reply.js'
import { newStatusKey, statusUrl } from '../../runs/status-key.js'
import type { EndpointStore, Endpoint } from '../../storage/endpoint-store.js'
import type { IdempotencyStore } from '../../storage/idempotency-store.js'
import type { RunStore } from '../../storage/run-store.js'
import { buildInput } from './build-input.js'
import { corsHookFor, isPreflight } from './cors.js'
import { WEBREQUEST, type WebRequestSettings } from './endpoint.js'
import { checkInbound, type InboundRules } from './inbound.js'
import { readBody } from './read-body.js'
import { detachedHandler } from '../../http/detached-handler.js'

const WebRequestParams = z.object({ slug: z.string().describe('The endpoint\'s slug from the config') })
const WebRequestQuery = z.object({ async: z.enum(['true', 'false']).optional().describe('true: answer 202 at once and run in the background') }).catchall(z.string())

export interface WebRequestRoutesOptions extends SyncRunDeps {
  endpoints: EndpointStore
  enqueue: EnqueueRun
  idempotency: IdempotencyStore
  /** Per-endpoint trust rules of the current config. */
  inbound: () => ReadonlyMap<string, InboundRules>
  bodyLimit: number
  maxJsonDepth: number
  multipart: MultipartConfig
}

type SlugRequest = FastifyRequest<{ Params: { slug: string }, Querystring: { async?: string } }>

const slugOf = (request: FastifyRequest): string => (request.params as { slug?: string }).slug ?? ''

/** `ANY /api/webrequest/:slug`: sync by default, `?async=true` to be acknowledged at once. */
export const webRequestRoutes: FastifyPluginAsync<WebRequestRoutesOptions> = async (app, options) => {
  const { endpoints, enqueue, runs } = options
  const rulesOf = (slug: string): InboundRules | undefined => options.inbound().get(slug)

  // Bodies are read as bytes and decoded by the handler: signatures need the exact bytes, and an
  // unknown slug must answer 404 before any body is judged.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body))

  app.decorateRequest('corsPreflightEnabled', false)
  const corsIfPolicy = corsHookFor(endpoints)
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (request, context) => new HttpError(429, `too many requests to "${slugOf(request)}": at most ${context.max} per window, retry in ${context.after}`)
  })
  const limit = app.rateLimit({
    max: (request: FastifyRequest) => rulesOf(slugOf(request))?.rateLimit?.max ?? Number.MAX_SAFE_INTEGER,
    timeWindow: (request: FastifyRequest) => (rulesOf(slugOf(request))?.rateLimit?.windowSec ?? 1) * 1000,
    keyGenerator: (request: FastifyRequest) => `${slugOf(request)}\u0000${request.ip}`
  })
  // The limiter is asked only about endpoints with a `rateLimit` rule: for every other request it
  // would build a key and await four callbacks for nothing (measured: a fifth of case 1's throughput).
  const limitIfRuled = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (rulesOf(slugOf(request))?.rateLimit === undefined) { done(); return }
    limit.call(app, request, reply).then(() => done(), done)
  }

  /** A repeated delivery: the first run's id (async) or its stored reply (sync). */
  async function answerRepeat (reply: FastifyReply, runId: number, isAsync: boolean): Promise<void> {
    reply.header('x-run-id', String(runId)).header('x-idempotent-replay', 'true')
    if (isAsync) {
      reply.code(200).send()
      return
    }
    const run = await runs.get(runId)
    const answer = run === undefined ? null : replyForRun(run.id, run.status, run.output, run.error)
    if (answer === null) throw new HttpError(409, 'a request with this idempotency key is still running', { extra: { runId } })
    sendScenarioReply(reply, answer)
  }

  async function runAsync (reply: FastifyReply, endpoint: Endpoint, settings: Partial<WebRequestSettings>, input: Vars, idempotencyKey?: string, ttlMs?: number): Promise<void> {
    const request = {
      kind: WEBREQUEST,
      endpoint: endpoint.slug,
      scenario: endpoint.scenario,
      input,
      timeoutMs: options.asyncTimeoutMs(endpoint.scenario),
      retry: settings.retry,
      withStatusKey: true as const
    }
    let runId: number
    let statusKey: string
    if (idempotencyKey === undefined) {
      ({ runId, statusKey } = await enqueue(request) as { runId: number, statusKey: string })
    } else {
      // Key and run commit together: two deliveries of one key cannot both start a run.
      runId = await runs.allocateId()
      const key = newStatusKey()
      statusKey = key.key
      const holder = await options.idempotency.claim({ kind: WEBREQUEST, endpoint: endpoint.slug, key: idempotencyKey }, runId, ttlMs!, {
        id: runId, kind: WEBREQUEST, endpoint: endpoint.slug, scenario: endpoint.scenario, status: 'queued', async: true,
        timeoutMs: request.timeoutMs, input, createdAt: Date.now(), retry: settings.retry, statusKeyHash: key.hash
      })
      if (holder !== undefined) {
        await answerRepeat(reply, holder, true)
        return
      }
      options.worker.wake()
    }
    reply.code(200)
      .header('x-run-id', String(runId))
      .header('x-run-status', statusUrl(runId, statusKey))
      .send()
  }

  app.route<{ Params: { slug: string }, Querystring: { async?: string } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/:slug',
    exposeHeadRoute: false,
    schema: routeSchema({
      summary: 'Run the scenario of a web-request endpoint', tags: ['webrequest'],
      description: 'Sync by default: the scenario\'s $status, $headers and $body are the reply (60 s hard limit). `?async=true` answers 202 at once with the run id and a status URL.',
      params: WebRequestParams, querystring: WebRequestQuery,
      responses: { 200: 'The scenario\'s reply', 202: '{runId, statusUrl} for an async call', 400: 'Body does not parse as its type', 404: 'Unknown or disabled slug', 413: 'Body over the limit', 504: 'The scenario passed its time limit' }
    }),
    onRequest: [corsIfPolicy, limitIfRuled],
    // Detached: the reply is sent here, never returned (detached-handler.ts).
    handler: detachedHandler(async (request: SlugRequest, reply) => {
      const endpoint = endpoints.find(WEBREQUEST, request.params.slug)
      if (endpoint === undefined || !endpoint.enabled) throw new HttpError(404, `unknown web request "${request.params.slug}"`)
      // A browser asking whether it may call an endpoint without a cors policy: no, and the
      // question alone must not run the scenario. (Endpoints with a policy never get here.)
      if (isPreflight(request)) {
        reply.code(204).send()
        return
      }
      const raw = (request.body as Buffer | undefined) ?? Buffer.alloc(0)
      const rules = rulesOf(endpoint.slug)
      checkInbound(rules, request, reply, raw)
      const isAsync = request.query.async === 'true'
      const decoded = await readBody(raw, request.headers['content-type'], { multipart: options.multipart, maxJsonDepth: options.maxJsonDepth })
      const input = buildInput(request, endpoint.scenario, decoded, isAsync)
      const settings = endpoint.settings as Partial<WebRequestSettings>
      const idempotency = rules?.idempotency
      const deliveryKey = idempotency === undefined ? undefined : request.headers[idempotency.header.toLowerCase()]
      const key = typeof deliveryKey === 'string' && deliveryKey !== '' ? deliveryKey.slice(0, 512) : undefined
      const ttlMs = (idempotency?.ttlSec ?? 0) * 1000
      if (isAsync) {
        await runAsync(reply, endpoint, settings, input, key, ttlMs)
        return
      }

      let reserved: number | undefined
      if (key !== undefined) {
        reserved = await runs.allocateId()
        const holder = await options.idempotency.claim({ kind: WEBREQUEST, endpoint: endpoint.slug, key }, reserved, ttlMs)
        if (holder !== undefined) {
          await answerRepeat(reply, holder, false)
          return
        }
      }
      await answerSync(options, request, reply, {
        kind: WEBREQUEST,
        endpoint: endpoint.slug,
        scenario: endpoint.scenario,
        timeoutMs: endpoint.timeoutMs,
        onTimeout: settings.onTimeout ?? 'abort',
        maxConcurrent: settings.maxConcurrent,
        retry: settings.retry,
        history: settings.history
      }, input, reserved)
    })
  })
}
