import { randomUUID } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { RandidConfig } from '../../config/events.js'
import type { RetryConfig } from '../../config/queue.js'
import type { MultipartConfig } from '../../config/server.js'
import { HttpError } from '../../errors.js'
import { answerSync, type SyncRunDeps } from '../../http/answer-sync.js'
import { makeErrorHandler } from '../../http/error-handler.js'
import { parseMultipart } from '../../http/multipart.js'
import { routeSchema } from '../../http/route-schema.js'
import type { EnqueueRun } from '../../queue/enqueue-run.js'
import type { EndpointStore } from '../../storage/endpoint-store.js'
import { EVENT } from './endpoint.js'
import type { RandStore } from './rand-store.js'
import { EventBody, readEventParams } from './read-params.js'
import { eventSignature, signatureMatches } from './signature.js'

export interface EventRoutesOptions extends SyncRunDeps {
  endpoints: EndpointStore
  /** Event name → token of the current config, kept in memory only. */
  tokens: () => ReadonlyMap<string, string>
  rands: RandStore
  randid: RandidConfig
  isLocal: (address: string) => boolean
  enqueue: EnqueueRun
  multipart: MultipartConfig
  /** The port reported to callers when the socket does not tell. */
  port: number
}

/**
 * One answer for every way a remote call can fail the signature check — including an unknown
 * event and an event that takes no remote calls — so event names cannot be probed.
 */
const REMOTE_REFUSED = 'signature check failed: the sign does not match this name, data and rand for any event that accepts remote calls'

/** The event dialect: `GET /api/randid` and `POST /api/event`, replies as `{success, …}`. */
export const eventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, options) => {
  const { endpoints, rands, isLocal, enqueue } = options

  app.setErrorHandler(makeErrorHandler((message) => ({ success: false, error: message })))
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) =>
    (await parseMultipart(body, request.headers['content-type'] ?? '', options.multipart)).fields)

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new HttpError(429, `too many randid requests from this client: at most ${context.max} a minute`)
  })

  app.get('/api/randid', {
    schema: routeSchema({ summary: 'A one-time id for signing one remote event (3 s life)', tags: ['events'], responses: { 200: '{rand}', 429: 'Too many requests or outstanding rands' } }),
    config: { rateLimit: { max: options.randid.perClientPerMinute, timeWindow: 60_000 } } }, async (_request, reply) => {
    const rand = await rands.issue()
    if (rand === undefined) throw new HttpError(429, 'too many randids are outstanding: try again in a few seconds')
    options.replyBatch?.join(reply)
    return { rand }
  })

  app.post<{ Querystring: { wait?: string } }>('/api/event', {
    schema: routeSchema({
      summary: 'Start the scenario of an event', tags: ['events'], body: EventBody,
      description: 'Local calls need only name and data; remote calls add rand (GET /api/randid) and sign = sha256(name + data + rand + token). Replies are `{success, …}`.',
      responses: { 200: '{success: true, id}', 400: '{success: false, error}: missing name', 403: '{success: false, error}: signature or rand refused', 404: '{success: false, error}: unknown event (local calls)' }
    })
  }, async (request, reply) => {
    const params = readEventParams(request.body)
    const local = isLocal(request.ip)
    const found = endpoints.find(EVENT, params.name)
    const event = found?.enabled === true ? found : undefined

    // A local call needs no signature; one that sends rand or sign anyway is checked like a remote one.
    if (!local || params.rand !== undefined || params.sign !== undefined) {
      if (params.rand === undefined || params.sign === undefined) {
        throw new HttpError(403, 'rand and sign are required for a remote call: GET /api/randid, then sign name + data + rand + token')
      }
      // Used up now, whatever happens next: a failed attempt cannot be retried with the same rand.
      if (!await rands.consume(params.rand)) throw new HttpError(403, 'rand is unknown, expired or already used: get a fresh one from GET /api/randid')
      if (event === undefined && local) throw new HttpError(404, `unknown event "${params.name}"`)
      const token = event === undefined ? undefined : options.tokens().get(event.slug)
      if (token === undefined || !signatureMatches(params.sign, eventSignature(params.name, params.data, params.rand, token))) {
        throw new HttpError(403, REMOTE_REFUSED)
      }
    } else if (event === undefined) {
      throw new HttpError(404, `unknown event "${params.name}"`)
    }

    const input = {
      event: { id: randomUUID(), type: '$event', name: event!.slug },
      script: { id: event!.scenario },
      user: { id: null },
      data: params.data
    }
    const settings = event!.settings as { maxConcurrent?: number, retry?: RetryConfig }
    if (request.query.wait === 'true') {
      await answerSync(options, request, reply, {
        kind: EVENT, endpoint: event!.slug, scenario: event!.scenario, timeoutMs: event!.timeoutMs, onTimeout: 'abort', maxConcurrent: settings.maxConcurrent
      }, input)
      // This async handler resolves to the reply answerSync sent (a sync wait on an event is rare).
      return reply
    }
    // Acknowledged only once the run is on disk.
    const { runId } = await enqueue({ kind: EVENT, endpoint: event!.slug, scenario: event!.scenario, input, timeoutMs: options.asyncTimeoutMs(event!.scenario), retry: settings.retry })
    return { success: true, port: request.raw.socket?.localPort ?? options.port, id: runId }
  })
}
