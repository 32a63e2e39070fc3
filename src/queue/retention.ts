import type { Logger } from 'pino'
import type { RunsConfig } from '../config/queue.js'
import type { IdempotencyStore } from '../storage/idempotency-store.js'
import type { RunStore } from '../storage/run-store.js'

const BATCH = 500
const EVERY_MS = 60_000
const DAY_MS = 86_400_000

/**
 * Prunes finished runs past `runs.retainDays` or beyond `runs.maxRows`, a small batch per turn
 * of the event loop, so intake never waits behind a large delete.
 */
export function createRetention ({ runs, idempotency, config, log }: { runs: RunStore, idempotency?: Pick<IdempotencyStore, 'pruneExpired'>, config: RunsConfig, log: Logger }) {
  let timer: NodeJS.Timeout | undefined
  let running = false

  async function prune (): Promise<number> {
    if (running) return 0
    running = true
    let total = 0
    try {
      for (;;) {
        const byAge = config.retainDays > 0 ? await runs.pruneFinishedBefore(Date.now() - config.retainDays * DAY_MS, BATCH) : 0
        const byCount = config.maxRows > 0 ? await runs.pruneFinishedBeyond(config.maxRows, BATCH) : 0
        const keys = idempotency === undefined ? 0 : await idempotency.pruneExpired(BATCH)
        total += byAge + byCount
        if (byAge + byCount + keys === 0) break
        await new Promise((resolve) => setImmediate(resolve))
      }
      if (total > 0) log.info({ pruned: total }, 'pruned finished runs past retention')
    } catch (err) {
      log.error({ err }, 'could not prune runs')
    } finally {
      running = false
    }
    return total
  }

  return {
    prune,
    start (): void {
      setTimeout(() => { void prune() }, 1000).unref()
      timer = setInterval(() => { void prune() }, EVERY_MS)
      timer.unref()
    },
    stop (): void { clearInterval(timer) }
  }
}
