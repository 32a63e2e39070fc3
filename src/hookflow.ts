import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app.js'
import type { LoadedConfig } from './config/load-config.js'
import { compileOptionsOf } from './config/runner.js'
import { eventEndpoint } from './dialects/event/endpoint.js'
import { createRandStore } from './dialects/event/rand-store.js'
import { webRequestEndpoint } from './dialects/webrequest/endpoint.js'
import { createLogger } from './logging.js'
import { createConcurrency } from './queue/concurrency.js'
import { maxConcurrentTable } from './queue/max-concurrent.js'
import { createQueueDepth } from './queue/queue-depth.js'
import { createRetention } from './queue/retention.js'
import { createQueueWorker, type QueueWorker } from './queue/worker.js'
import { createQueueStore } from './storage/queue-store.js'
import { createIdempotencyStore } from './storage/idempotency-store.js'
import { createEgress } from './egress/egress.js'
import { createHttpStepClient } from './egress/http-step-client.js'
import { makeEmit } from './queue/emit.js'
import { buildCollectionModels } from './collections/model.js'
import type { ActionDeps } from './collections/perform-action.js'
import { recordFromScenario } from './collections/record-from-scenario.js'
import { syncCollectionTables } from './storage/collection-schema.js'
import { createCollectionStore } from './storage/collection-store.js'
import { makeEnqueue } from './queue/enqueue-run.js'
import { isBoundedScenario } from './runner/bounded.js'
import { createHybridExecutor, createInlineExecutor, type ScenarioExecutor } from './runner/executor.js'
import { createIoPerformer } from './runner/io.js'
import type { ScenarioRuntime } from './runner/run-scenario.js'
import { createHostExecutor } from './runner/hosts/host-executor.js'
import { openDb, type Db } from './storage/db.js'
import { createEndpointStore, type EndpointStore } from './storage/endpoint-store.js'
import { migrate } from './storage/migrate.js'
import { createRunStore, type RunStore } from './storage/run-store.js'

export interface Hookflow {
  app: FastifyInstance
  db: Db
  runs: RunStore
  endpoints: EndpointStore
  worker: QueueWorker
  executor: ScenarioExecutor
  log: Logger
  /** Resumes runs a previous process left unfinished. */
  start: () => Promise<void>
  close: () => Promise<void>
}

export interface HookflowOptions {
  log?: Logger
  /** Overrides `database.path` (tests use ':memory:' or a temp file). */
  dbPath?: string
}

function createExecutor (loaded: LoadedConfig, log: Logger): ScenarioExecutor {
  const { runner, scenarios } = loaded.config
  const limits = { maxResultBytes: runner.maxResultBytes, maxLogEntries: runner.maxLogEntries }
  const inline = createInlineExecutor(loaded.scenarios, limits)
  if (runner.evaluateOn === 'main-thread') return inline
  const hosts = createHostExecutor({
    size: runner.hosts,
    heapMb: runner.hostHeapMb,
    setup: { scenarios, compile: compileOptionsOf(runner), limits },
    onHostCrash: (crash) => log.warn({ pid: crash.pid, code: crash.code, signal: crash.signal }, 'evaluation host crashed')
  })
  if (!runner.inlineBounded) return hosts
  const inlined = new Set([...loaded.scenarios.values()].filter(isBoundedScenario).map((scenario) => scenario.name))
  return Object.assign(createHybridExecutor(inline, hosts, inlined), { pids: hosts.pids })
}

/** Waits for `work`, but no longer than `ms`. */
async function within (work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([work.catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}

/** Wires storage, the runner and the HTTP app from a loaded config; nothing listens yet. */
export async function createHookflow (loaded: LoadedConfig, options: HookflowOptions = {}): Promise<Hookflow> {
  const { config } = loaded
  const log = options.log ?? createLogger({ level: config.server.logLevel })
  const db = openDb(options.dbPath ?? config.database.path, { synchronous: config.database.synchronous })
  migrate(db)
  const runs = createRunStore(db)
  const endpoints = createEndpointStore(db)
  // The registry is exactly what the config declares; removed endpoints keep their runs.
  await endpoints.replaceAll([...config.webrequests.map(webRequestEndpoint), ...config.events.map(eventEndpoint)])

  const executor = createExecutor(loaded, log)
  const egress = createEgress(config.egress)
  const runtime: ScenarioRuntime = {
    executor,
    io: createIoPerformer({
      emit: async (request, run) => await emit(request, run),
      http: createHttpStepClient(egress),
      record: async (request, run) => await recordFromScenario(collectionActions, request, run, config.runner.maxEmitDepth)
    })
  }
  const queue = createQueueStore(db)
  const concurrency = createConcurrency()
  const maxConcurrent = maxConcurrentTable(config)
  const worker = createQueueWorker({
    queue,
    runs,
    runtime,
    concurrency,
    maxConcurrentOf: (kind, endpoint) => maxConcurrent.get(`${kind}:${endpoint ?? ''}`),
    config: config.queue,
    log
  })
  const depth = createQueueDepth(queue)
  const enqueue = makeEnqueue({ runs, depth, maxDepth: config.queue.maxDepth, wake: () => worker.wake() })
  const asyncTimeoutMs = (scenario: string): number => loaded.scenarios.get(scenario)?.timeoutMs ?? 300_000
  const models = buildCollectionModels(config.collections)
  syncCollectionTables(db, models)
  const collectionActions: ActionDeps = {
    models,
    store: createCollectionStore(db),
    runs,
    workflows: new Map(config.workflows.map((workflow) => [workflow.key, workflow])),
    timeoutOf: asyncTimeoutMs,
    wake: () => worker.wake(),
    queueFull: async () => await depth.current() >= config.queue.maxDepth
  }
  const emit = makeEmit({ enqueue, timeoutOf: (scenario) => loaded.scenarios.get(scenario)?.timeoutMs, maxDepth: config.runner.maxEmitDepth })
  const idempotency = createIdempotencyStore(db, runs)
  const retention = createRetention({ runs, idempotency, config: config.runs, log })
  const ping = db.prepare('SELECT 1')
  let shuttingDown = false

  const app = await buildApp({
    loaded,
    log,
    runs,
    endpoints,
    runtime,
    worker,
    concurrency,
    enqueue,
    asyncTimeoutMs,
    rands: createRandStore(config.randid),
    collectionActions,
    egress,
    idempotency,
    databaseReachable: () => {
      try {
        ping.get()
        return true
      } catch {
        return false
      }
    },
    shuttingDown: () => shuttingDown
  })

  return {
    app,
    db,
    runs,
    endpoints,
    worker,
    executor,
    log,
    async start () {
      await executor.ready()
      const released = await worker.start()
      if (released > 0) log.info({ released }, 'runs left running by the previous process are queued again')
      retention.start()
    },
    async close () {
      shuttingDown = true
      const grace = config.server.shutdownGraceMs
      retention.stop()
      // New requests get 503 from here; requests and runs in flight get the grace period.
      await Promise.all([within(app.close(), grace), worker.close(grace)])
      await runs.flush()
      await executor.close()
      await egress.close()
      db.close()
    }
  }
}
