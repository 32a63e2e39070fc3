import type { Logger } from 'pino'
import { ConfigError, loadConfig } from '../config/load-config.js'
import { registryOf } from './registry.js'
import type { Metrics } from '../metrics/metrics.js'
import { CollectionSchemaError } from '../storage/collection-schema.js'
import type { EndpointStore } from '../storage/endpoint-store.js'
import { buildLiveState, type Live, type SharedDeps } from './live-state.js'

export interface ReloadResult {
  ok: boolean
  /** Every problem by field path, when the new config was refused (the old one stays). */
  problems?: string[]
  /** Sections that changed but only take effect at the next start. */
  restartNeeded?: string[]
}

/** Sections read once at start: a reload reports changes to them instead of applying them. */
const START_ONLY = ['server', 'database', 'queue', 'randid', 'runs'] as const

/**
 * Reloads the config file: validate everything first, then swap the whole live state at once.
 * An invalid file keeps the old config. Runs in flight finish on the scenario version they began
 * with (their executor retires when the last of them ends); no request is refused meanwhile.
 */
export function makeReload ({ live, shared, endpoints, log, metrics }: { live: Live, shared: SharedDeps, endpoints: EndpointStore, log: Logger, metrics: Metrics }) {
  let reloading: Promise<ReloadResult> | undefined

  async function reload (file = live.current.loaded.source): Promise<ReloadResult> {
    const previous = live.current
    let next
    try {
      const loaded = loadConfig(file)
      next = await buildLiveState(loaded, shared)
    } catch (err) {
      if (!(err instanceof ConfigError) && !(err instanceof CollectionSchemaError)) throw err
      const problems = err instanceof ConfigError ? err.problems : [err.message]
      for (const problem of problems) log.error({ problem }, 'config reload refused; keeping the running config')
      metrics.reloads.inc({ result: 'refused' })
      return { ok: false, problems }
    }
    await next.executor.ready()
    await endpoints.replaceAll(registryOf(next.loaded.config))
    live.current = next
    previous.executor.retire()
    // The old egress may still serve a call in flight; its idle sockets close on their own.
    const restartNeeded = START_ONLY.filter((section) =>
      JSON.stringify(previous.loaded.config[section]) !== JSON.stringify(next.loaded.config[section]))
    if (restartNeeded.length > 0) log.warn({ sections: restartNeeded }, 'these config sections change only at the next start')
    log.info({ config: next.loaded.source }, 'config reloaded')
    metrics.reloads.inc({ result: 'applied' })
    return { ok: true, restartNeeded }
  }

  /** One reload at a time: a second request waits for the first and then reloads again. */
  return async function reloadOnce (file?: string): Promise<ReloadResult> {
    while (reloading !== undefined) await reloading.catch(() => {})
    reloading = reload(file)
    try {
      return await reloading
    } finally {
      reloading = undefined
    }
  }
}

export type Reload = ReturnType<typeof makeReload>
