import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app.js'
import { recordFromScenario } from './collections/record-from-scenario.js'
import type { LoadedConfig } from './config/load-config.js'
import { createHttpStepClient } from './egress/http-step-client.js'
import { buildLiveState, type Live } from './live/live-state.js'
import { registryOf } from './live/registry.js'
import { makeReload, type Reload } from './live/reload.js'
import { createLogger } from './logging.js'
import { createMetrics, type Metrics, type QueueStats } from './metrics/metrics.js'
import { createConcurrency } from './queue/concurrency.js'
import { makeEmit } from './queue/emit.js'
import { makeEnqueue } from './queue/enqueue-run.js'
import { createQueueDepth } from './queue/queue-depth.js'
import { createRetention } from './queue/retention.js'
import { createQueueWorker, type QueueWorker } from './queue/worker.js'
import { createIoPerformer } from './runner/io.js'
import type { ScenarioRuntime } from './runner/run-scenario.js'
import type { Db } from './storage/db.js'
import { openStorage, type Storage } from './storage/open-storage.js'
import type { EndpointStore, RunStore } from './storage/types.js'

export interface Hookflow {
  app: FastifyInstance
  storage: Storage
  /** The SQLite handle; throws on PostgreSQL (tests look into the embedded database). */
  readonly db: Db
  runs: RunStore
  endpoints: EndpointStore
  worker: QueueWorker
  /** The executor of the current config (tests look at its evaluation hosts). */
  readonly executor: Live['current']['executor']
  live: Live
  metrics: Metrics
  reload: Reload
  log: Logger
  /** Resumes runs a previous process left unfinished. */
  start: () => Promise<void>
  close: () => Promise<void>
}

export interface HookflowOptions {
  log?: Logger
  /** Overrides `database.path` (tests use ':memory:' or a temp file). */
  dbPath?: string
  /** Overrides `database.url`: run on this PostgreSQL database. */
  databaseUrl?: string
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
  const storage = await openStorage(config.database, { dbPath: options.dbPath, url: options.databaseUrl, randid: config.randid })
  const { runs, endpoints, queue } = storage
  const depth = createQueueDepth(queue)
  const metrics = createMetrics()
  // Late-bound: the worker needs the runtime, the runtime's I/O needs the worker's wake-up.
  let worker: QueueWorker | undefined
  const wake = (): void => worker?.wake()
  const queueFull = async (): Promise<boolean> => await depth.current() >= live.current.loaded.config.queue.maxDepth
  const shared = { runs, collectionStore: storage.collections, log, wake, queueFull, metrics }
  let live: Live
  try {
    live = { current: await buildLiveState(loaded, shared) }
    // The registry is exactly what the config declares; removed endpoints keep their runs.
    await endpoints.replaceAll(registryOf(config))
  } catch (err) {
    // A refused config (a changed collection field) must not leave the database open.
    await storage.close()
    throw err
  }

  const enqueue = makeEnqueue({ runs, depth, maxDepth: config.queue.maxDepth, wake })
  const emit = makeEmit({
    enqueue,
    timeoutOf: (scenario) => live.current.loaded.scenarios.get(scenario)?.timeoutMs,
    maxDepth: config.runner.maxEmitDepth
  })
  const runtime: ScenarioRuntime = {
    // Read when a run starts: the run keeps that executor (and scenario version) to its end.
    get executor () { return live.current.executor },
    io: createIoPerformer({
      emit: async (request, run) => await emit(request, run),
      http: async (request, run, signal) => await createHttpStepClient(live.current.egress)(request, run, signal),
      record: async (request, run) => await recordFromScenario(live.current.collections, request, run, live.current.loaded.config.runner.maxEmitDepth)
    })
  }
  const concurrency = createConcurrency()
  worker = createQueueWorker({
    queue,
    runs,
    runtime,
    concurrency,
    maxConcurrentOf: (kind, endpoint) => live.current.maxConcurrent.get(`${kind}:${endpoint ?? ''}`),
    config: config.queue,
    log,
    metrics
  })
  const { idempotency, audit } = storage
  const retention = createRetention({ runs, idempotency, config: config.runs, log })
  const reload = makeReload({ live, shared, endpoints, log, metrics })
  let shuttingDown = false
  const queueStats = async (): Promise<QueueStats> => ({ depth: await queue.depth(), oldestQueuedAt: await queue.oldestQueuedAt(), inFlight: worker?.inFlight ?? 0 })
  metrics.setQueueStats(queueStats)
  metrics.setHostCount(() => live.current.executor.pids().length)

  const app = await buildApp({
    loaded,
    live,
    log,
    runs,
    endpoints,
    runtime,
    worker,
    concurrency,
    enqueue,
    rands: storage.rands,
    idempotency,
    audit,
    consoleSessions: storage.consoleSessions,
    metrics,
    reload,
    queueStats,
    databaseReachable: storage.reachable,
    shuttingDown: () => shuttingDown
  })

  return {
    app,
    storage,
    get db () {
      if (storage.sqlite === undefined) throw new Error('this instance runs on PostgreSQL: there is no SQLite handle')
      return storage.sqlite
    },
    runs,
    endpoints,
    worker,
    get executor () { return live.current.executor },
    live,
    metrics,
    reload,
    log,
    async start () {
      await live.current.executor.ready()
      const released = await worker!.start()
      if (released > 0) log.info({ released }, 'runs left running by the previous process are queued again')
      retention.start()
    },
    async close () {
      shuttingDown = true
      const grace = config.server.shutdownGraceMs
      retention.stop()
      // New requests get 503 from here; requests and runs in flight get the grace period.
      await Promise.all([within(app.close(), grace), worker!.close(grace)])
      await runs.flush()
      await live.current.executor.close()
      await live.current.egress.close()
      await storage.close()
    }
  }
}
