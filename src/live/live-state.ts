import type { Logger } from 'pino'
import { makeAdminAuth, type AdminAuth } from '../admin/auth.js'
import { buildCollectionModels } from '../collections/model.js'
import type { ActionDeps } from '../collections/perform-action.js'
import { makeCollectionPermissions, type CollectionPermissions } from '../collections/permissions.js'
import type { ClientConfig } from '../config/egress.js'
import type { LoadedConfig } from '../config/load-config.js'
import { compileOptionsOf } from '../config/runner.js'
import { inboundRules, type InboundRules } from '../dialects/webrequest/inbound.js'
import { createEgress, type Egress } from '../egress/egress.js'
import { makeIsLocal } from '../http/local-network.js'
import type { Metrics } from '../metrics/metrics.js'
import { maxConcurrentTable } from '../queue/max-concurrent.js'
import { isBoundedScenario } from '../runner/bounded.js'
import { createHybridExecutor, createInlineExecutor, type ScenarioExecutor } from '../runner/executor.js'
import { createHostExecutor } from '../runner/hosts/host-executor.js'
import { createRetirable } from '../runner/retirable.js'
import type { CollectionStore } from '../storage/collection-store.js'
import type { RunStore } from '../storage/run-store.js'

/**
 * Everything derived from the config that a reload replaces at once. Routes and the runtime read
 * `live.current` per request or per run, so a run keeps the version it started with.
 */
export interface LiveState {
  loaded: LoadedConfig
  executor: ReturnType<typeof createRetirable>
  egress: Egress
  collections: ActionDeps
  permissions: CollectionPermissions
  inbound: Map<string, InboundRules>
  eventTokens: Map<string, string>
  clients: readonly ClientConfig[]
  adminAuth: AdminAuth
  maxConcurrent: Map<string, number>
  isLocal: (address: string) => boolean
  asyncTimeoutMs: (scenario: string) => number
}

export interface Live { current: LiveState }

export interface SharedDeps {
  runs: RunStore
  collectionStore: CollectionStore
  log: Logger
  wake: () => void
  queueFull: () => Promise<boolean>
  metrics: Metrics
}

function createExecutor (loaded: LoadedConfig, log: Logger, metrics: Metrics): ScenarioExecutor {
  const { runner, scenarios } = loaded.config
  const limits = { maxResultBytes: runner.maxResultBytes, maxLogEntries: runner.maxLogEntries }
  const bounded = new Set([...loaded.scenarios.values()].filter(isBoundedScenario).map((scenario) => scenario.name))
  const inline = createInlineExecutor(loaded.scenarios, limits, bounded)
  if (runner.evaluateOn === 'main-thread') return inline
  const inlined = runner.inlineBounded ? bounded : new Set<string>()
  // A config whose scenarios are all evaluated inline runs no evaluation host (~60 MB each).
  if (inlined.size === loaded.scenarios.size) return inline
  const hosts = createHostExecutor({
    size: runner.hosts,
    min: runner.minHosts,
    idleMs: runner.hostIdleMs,
    heapMb: runner.hostHeapMb,
    nice: runner.hostNice,
    setup: { scenarios, compile: compileOptionsOf(runner), limits },
    onHostCrash: (crash) => {
      metrics.hostRestarts.inc({ reason: 'crash' })
      log.warn({ pid: crash.pid, code: crash.code, signal: crash.signal }, 'evaluation host crashed')
    },
    onHostStopped: () => metrics.hostRestarts.inc({ reason: 'stopped' })
  })
  if (!runner.inlineBounded) return hosts
  return Object.assign(createHybridExecutor(inline, hosts, inlined), { pids: hosts.pids })
}

/** Builds the live state of a loaded config; collection tables are brought in line first. */
export async function buildLiveState (loaded: LoadedConfig, shared: SharedDeps): Promise<LiveState> {
  const { config } = loaded
  const models = buildCollectionModels(config.collections)
  await shared.collectionStore.syncTables(models)
  const asyncTimeoutMs = (scenario: string): number => loaded.scenarios.get(scenario)?.timeoutMs ?? 300_000
  return {
    loaded,
    executor: createRetirable(createExecutor(loaded, shared.log, shared.metrics)),
    egress: createEgress(config.egress),
    collections: {
      models,
      store: shared.collectionStore,
      runs: shared.runs,
      workflows: new Map(config.workflows.map((workflow) => [workflow.key, workflow])),
      timeoutOf: asyncTimeoutMs,
      wake: shared.wake,
      queueFull: shared.queueFull
    },
    permissions: makeCollectionPermissions(config.users, config.roles),
    inbound: inboundRules(config.webrequests),
    eventTokens: new Map(config.events.flatMap((event) => event.token === undefined ? [] : [[event.name, event.token]])),
    clients: config.clients,
    adminAuth: makeAdminAuth(config.admin.tokens),
    maxConcurrent: maxConcurrentTable(config),
    isLocal: makeIsLocal(config.server.localNetworks),
    asyncTimeoutMs
  }
}
