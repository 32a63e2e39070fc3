import { randomUUID } from 'node:crypto'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { makeAdminGuard } from './admin/auth.js'
import { adminRunsRoutes } from './admin/runs-routes.js'
import type { LoadedConfig } from './config/load-config.js'
import type { ActionDeps } from './collections/perform-action.js'
import { makeCollectionPermissions } from './collections/permissions.js'
import { collectionRoutes } from './dialects/collection/routes.js'
import { eventRoutes } from './dialects/event/routes.js'
import { proxyRoutes } from './dialects/proxy/routes.js'
import type { Egress } from './egress/egress.js'
import type { RandStore } from './dialects/event/rand-store.js'
import { inboundRules } from './dialects/webrequest/inbound.js'
import { webRequestRoutes } from './dialects/webrequest/routes.js'
import { HttpError } from './errors.js'
import { makeErrorHandler } from './http/error-handler.js'
import { makeIsLocal } from './http/local-network.js'
import { healthRoutes } from './health/routes.js'
import type { Concurrency } from './queue/concurrency.js'
import type { QueueWorker } from './queue/worker.js'
import type { EnqueueRun } from './queue/enqueue-run.js'
import type { ScenarioRuntime } from './runner/run-scenario.js'
import { runStatusRoutes } from './runs/status-routes.js'
import type { EndpointStore } from './storage/endpoint-store.js'
import type { IdempotencyStore } from './storage/idempotency-store.js'
import type { RunStore } from './storage/run-store.js'

export interface AppDeps {
  loaded: LoadedConfig
  log: Logger
  runs: RunStore
  endpoints: EndpointStore
  runtime: ScenarioRuntime
  worker: QueueWorker
  concurrency: Concurrency
  enqueue: EnqueueRun
  asyncTimeoutMs: (scenario: string) => number
  rands: RandStore
  collectionActions: ActionDeps
  egress: Egress
  idempotency: IdempotencyStore
  databaseReachable: () => boolean
  shuttingDown: () => boolean
}

/** A client-chosen request id is kept only when it is short and plain, so it cannot forge log lines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * Trusts the first `hops` proxies in front of us, whoever they are (Express's number form).
 * Fastify turned plain numbers into "trust nothing"; the operator who sets a count has said every
 * request passes through that many proxies, so we honour it (and the README says when not to).
 */
const trustHops = (hops: number) => (_address: string, hop: number): boolean => hop < hops

/** Builds the HTTP app; never listens (server.ts does). */
export async function buildApp (deps: AppDeps): Promise<FastifyInstance> {
  const { server, admin, events } = deps.loaded.config
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: typeof server.trustProxy === 'number' ? trustHops(server.trustProxy) : server.trustProxy,
    bodyLimit: server.bodyLimit,
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    requestIdHeader: false,
    // Slow clients and oversized headers are cut off by Node itself (timeouts checked every second).
    http: { headersTimeout: server.headersTimeoutMs, maxHeaderSize: server.maxHeaderBytes, connectionsCheckingInterval: 1000 },
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID()
    }
  })

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // Shutting down: new work is refused (health checks still answer, /readyz with 503).
    if (deps.shuttingDown() && !request.url.startsWith('/healthz') && !request.url.startsWith('/readyz')) {
      reply.header('connection', 'close')
      throw new HttpError(503, 'shutting down: try again shortly', { headers: { 'retry-after': '5' } })
    }
  })

  // While shutting down, every reply closes its connection, so the server can finish closing.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (deps.shuttingDown()) reply.header('connection', 'close')
    return payload
  })

  app.setErrorHandler(makeErrorHandler())

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }))

  await app.register(cookie)
  await app.register(formbody)
  await app.register(healthRoutes, { databaseReachable: deps.databaseReachable, shuttingDown: deps.shuttingDown })
  const guard = makeAdminGuard(admin.tokens)
  await app.register(adminRunsRoutes, { runs: deps.runs, guard, enqueue: deps.enqueue, worker: deps.worker })
  await app.register(runStatusRoutes, { runs: deps.runs })
  const runDeps = {
    endpoints: deps.endpoints,
    runs: deps.runs,
    runtime: deps.runtime,
    worker: deps.worker,
    concurrency: deps.concurrency,
    enqueue: deps.enqueue,
    asyncTimeoutMs: deps.asyncTimeoutMs,
    leaseMs: deps.loaded.config.queue.leaseMs,
    multipart: server.multipart
  }
  await app.register(webRequestRoutes, {
    prefix: '/api/webrequest',
    ...runDeps,
    idempotency: deps.idempotency,
    inbound: inboundRules(deps.loaded.config.webrequests),
    bodyLimit: server.bodyLimit,
    maxJsonDepth: server.maxJsonDepth
  })
  await app.register(eventRoutes, {
    ...runDeps,
    tokens: new Map(events.flatMap((event) => event.token === undefined ? [] : [[event.name, event.token]])),
    rands: deps.rands,
    randid: deps.loaded.config.randid,
    isLocal: makeIsLocal(server.localNetworks),
    port: server.port
  })
  await app.register(proxyRoutes, { egress: deps.egress, clients: deps.loaded.config.clients, bodyLimit: server.bodyLimit })
  await app.register(collectionRoutes, {
    actions: deps.collectionActions,
    permissions: makeCollectionPermissions(deps.loaded.config.users, deps.loaded.config.roles),
    bodyLimit: server.bodyLimit
  })
  return app as unknown as FastifyInstance
}
