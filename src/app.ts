import { randomUUID } from 'node:crypto'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { adminRoutes } from './admin/admin-routes.js'
import type { AdminGuard } from './admin/auth.js'
import { adminRunsRoutes } from './admin/runs-routes.js'
import type { LoadedConfig } from './config/load-config.js'
import { consoleRoutes } from './console/routes.js'
import { collectionRoutes } from './dialects/collection/routes.js'
import type { RandStore } from './dialects/event/rand-store.js'
import { eventRoutes } from './dialects/event/routes.js'
import { proxyRoutes } from './dialects/proxy/routes.js'
import { webRequestRoutes } from './dialects/webrequest/routes.js'
import { HttpError } from './errors.js'
import { makeErrorHandler } from './http/error-handler.js'
import { healthRoutes } from './health/routes.js'
import { lazyRequestLogger } from './http/request-logger.js'
import { createTurnQueue } from './http/turn-queue.js'
import { createReplyBatch } from './http/write-batch.js'
import type { Live } from './live/live-state.js'
import type { Reload } from './live/reload.js'
import type { Metrics, QueueStats } from './metrics/metrics.js'
import { metricsRoutes } from './metrics/routes.js'
import type { Concurrency } from './queue/concurrency.js'
import type { EnqueueRun } from './queue/enqueue-run.js'
import type { QueueWorker } from './queue/worker.js'
import type { ScenarioRuntime } from './runner/run-scenario.js'
import { runStatusRoutes } from './runs/status-routes.js'
import type { AuditStore } from './storage/audit-store.js'
import type { ConsoleSessionStore } from './storage/console-session-store.js'
import type { EndpointStore } from './storage/endpoint-store.js'
import type { IdempotencyStore } from './storage/idempotency-store.js'
import type { RunStore } from './storage/run-store.js'

export interface AppDeps {
  /** The config the server started with: server options are read from it once. */
  loaded: LoadedConfig
  live: Live
  log: Logger
  runs: RunStore
  endpoints: EndpointStore
  runtime: ScenarioRuntime
  worker: QueueWorker
  concurrency: Concurrency
  enqueue: EnqueueRun
  rands: RandStore
  idempotency: IdempotencyStore
  audit: AuditStore
  consoleSessions: ConsoleSessionStore
  metrics: Metrics
  reload: Reload
  queueStats: () => Promise<QueueStats>
  databaseReachable: () => boolean
  shuttingDown: () => boolean
}

/** A turn of run-list pages: ~7–10 pages, so a webhook read meanwhile waits ~2 ms at most for them (turn-queue.ts). */
const PAGE_TURN_MS = 2

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
  const { server } = deps.loaded.config
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: typeof server.trustProxy === 'number' ? trustHops(server.trustProxy) : server.trustProxy,
    bodyLimit: server.bodyLimit,
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    requestIdHeader: false,
    // Slow clients and oversized headers are cut off by Node itself (timeouts checked every second).
    http: { headersTimeout: server.headersTimeoutMs, maxHeaderSize: server.maxHeaderBytes, connectionsCheckingInterval: 1000 },
    childLoggerFactory: lazyRequestLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID()
    }
  })

  // The hooks below run on every request: callback style, as an async hook costs a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    // Shutting down: new work is refused (health checks still answer, /readyz with 503).
    if (deps.shuttingDown() && !request.url.startsWith('/healthz') && !request.url.startsWith('/readyz')) {
      reply.header('connection', 'close')
      done(new HttpError(503, 'shutting down: try again shortly', { headers: { 'retry-after': '5' } }))
      return
    }
    done()
  })

  const replyBatch = createReplyBatch()
  // While shutting down, every reply closes its connection, so the server can finish closing.
  // Sync runs' replies then leave together at the end of the loop's turn (write-batch.ts).
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (deps.shuttingDown()) reply.header('connection', 'close')
    replyBatch.onSend(reply, payload, done)
  })

  // Requests by route and status, for /metrics.
  app.addHook('onResponse', (request, reply, done) => {
    deps.metrics.requests.inc([request.method, request.routeOptions.url ?? 'unknown', String(reply.statusCode)])
    done()
  })

  app.setErrorHandler(makeErrorHandler())

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }))

  // Schemas describe every route for the OpenAPI document; validation stays with each handler's
  // zod schema, and replies are serialised as they are.
  app.setValidatorCompiler(() => (data) => ({ value: data }))
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  await app.register(swagger, {
    openapi: {
      info: { title: 'hookflow', description: 'Self-hosted webhook-to-workflow server', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
    }
  })

  const { live, metrics } = deps
  const guard: AdminGuard = (role) => async (request, reply) => await live.current.adminAuth.guard(role)(request, reply)
  const readable = (isPublic: boolean) => isPublic ? undefined : guard('viewer')

  await app.register(cookie)
  await app.register(formbody)
  await app.register(async (docs) => {
    const protect = readable(deps.loaded.config.docs.public)
    if (protect !== undefined) docs.addHook('onRequest', protect)
    await docs.register(swaggerUi, { routePrefix: '/docs' })
  })
  await app.register(metricsRoutes, { metrics, guard: readable(deps.loaded.config.metrics.public) })
  await app.register(healthRoutes, { databaseReachable: deps.databaseReachable, shuttingDown: deps.shuttingDown })
  await app.register(adminRunsRoutes, { runs: deps.runs, guard, enqueue: deps.enqueue, worker: deps.worker, audit: deps.audit, pageTurns: createTurnQueue(PAGE_TURN_MS) })
  await app.register(adminRoutes, {
    guard, live, runs: deps.runs, audit: deps.audit,
    reload: async () => await deps.reload(), queueStats: deps.queueStats, databaseReachable: deps.databaseReachable
  })
  await app.register(runStatusRoutes, { runs: deps.runs })
  await app.register(consoleRoutes, { runs: deps.runs, enqueue: deps.enqueue, worker: deps.worker, audit: deps.audit, sessions: deps.consoleSessions, live })
  const runDeps = {
    replyBatch,
    endpoints: deps.endpoints,
    runs: deps.runs,
    runtime: deps.runtime,
    worker: deps.worker,
    concurrency: deps.concurrency,
    enqueue: deps.enqueue,
    asyncTimeoutMs: (scenario: string) => live.current.asyncTimeoutMs(scenario),
    leaseMs: deps.loaded.config.queue.leaseMs,
    multipart: server.multipart,
    metrics
  }
  await app.register(webRequestRoutes, {
    prefix: '/api/webrequest',
    ...runDeps,
    idempotency: deps.idempotency,
    inbound: () => live.current.inbound,
    bodyLimit: server.bodyLimit,
    maxJsonDepth: server.maxJsonDepth
  })
  await app.register(eventRoutes, {
    ...runDeps,
    tokens: () => live.current.eventTokens,
    rands: deps.rands,
    randid: deps.loaded.config.randid,
    isLocal: (address) => live.current.isLocal(address),
    port: server.port
  })
  await app.register(proxyRoutes, { current: () => live.current, bodyLimit: server.bodyLimit })
  await app.register(collectionRoutes, {
    current: () => ({ actions: live.current.collections, permissions: live.current.permissions }),
    bodyLimit: server.bodyLimit
  })
  return app as unknown as FastifyInstance
}
