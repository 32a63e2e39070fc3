import { Counter, Gauge, Registry, type Metric } from 'prom-client'
import { TallyCounter } from './tally-counter.js'
import { TallyHistogram } from './tally-histogram.js'

export interface QueueStats {
  depth: number
  /** Epoch ms of the oldest queued run, or null when none waits. */
  oldestQueuedAt: number | null
  inFlight: number
}

/** The Prometheus metrics of one hookflow instance (its own registry: several may share a process in tests). */
export function createMetrics () {
  const registry = new Registry()
  let queueStats: () => Promise<QueueStats> = async () => ({ depth: 0, oldestQueuedAt: null, inFlight: 0 })
  let hostCount: () => number = () => 0

  const metrics = {
    registry,
    // The two metrics touched by every request count in our own Maps and reach the registry only
    // when scraped (docs/performance.md, "metrics").
    /** Counts by [method, route, status]: once per HTTP request. */
    requests: new TallyCounter('hookflow_http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']),
    /** Seconds by [scenario, status]: once per run. */
    runDuration: new TallyHistogram('hookflow_run_duration_seconds', 'Run durations by scenario and final status', ['scenario', 'status'], [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300]),
    retries: new Counter({ name: 'hookflow_run_retries_total', help: 'Failed attempts of async runs that were retried', labelNames: ['scenario'] as const, registers: [registry] }),
    dead: new Counter({ name: 'hookflow_runs_dead_total', help: 'Async runs that failed their last attempt', labelNames: ['scenario'] as const, registers: [registry] }),
    hostRestarts: new Counter({ name: 'hookflow_evaluation_host_restarts_total', help: 'Evaluation hosts replaced, by reason', labelNames: ['reason'] as const, registers: [registry] }),
    reloads: new Counter({ name: 'hookflow_config_reloads_total', help: 'Config reloads, applied or refused', labelNames: ['result'] as const, registers: [registry] }),
    /** Where queue gauges read their values at scrape time. */
    setQueueStats (source: () => Promise<QueueStats>): void { queueStats = source },
    /** Where the evaluation host gauge reads its value at scrape time. */
    setHostCount (source: () => number): void { hostCount = source }
  }

  // Our own classes in prom-client's metric shape: the registry only calls get() and reset().
  for (const tallied of [metrics.requests, metrics.runDuration]) registry.registerMetric(tallied as unknown as Metric)

  let cached: Promise<QueueStats> | undefined
  // One query per scrape for all three gauges.
  const stats = async (): Promise<QueueStats> => await (cached ??= queueStats().finally(() => { setImmediate(() => { cached = undefined }) }))
  new Gauge({ name: 'hookflow_queue_depth', help: 'Runs waiting in the queue', registers: [registry], async collect () { this.set((await stats()).depth) } }) // eslint-disable-line no-new
  new Gauge({ name: 'hookflow_queue_oldest_age_seconds', help: 'Age of the oldest queued run', registers: [registry], async collect () { const { oldestQueuedAt } = await stats(); this.set(oldestQueuedAt === null ? 0 : (Date.now() - oldestQueuedAt) / 1000) } }) // eslint-disable-line no-new
  new Gauge({ name: 'hookflow_runs_in_flight', help: 'Async runs executing in this process', registers: [registry], async collect () { this.set((await stats()).inFlight) } }) // eslint-disable-line no-new
  new Gauge({ name: 'hookflow_evaluation_hosts', help: 'Evaluation host processes running for the current config', registers: [registry], collect () { this.set(hostCount()) } }) // eslint-disable-line no-new
  return metrics
}

export type Metrics = ReturnType<typeof createMetrics>
