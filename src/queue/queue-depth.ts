import { performance } from 'node:perf_hooks'
import type { QueueStore } from '../storage/queue-store.js'

export interface QueueDepthOptions {
  /** The least time between two counts. */
  refreshMs?: number
  /** The most time between two counts, however long counting takes. */
  maxRefreshMs?: number
  /** Milliseconds, for the refresh schedule and for timing a count (tests pass a fake). */
  now?: () => number
}

/**
 * A count may cost at most 1/COST_SHARE of the time until the next one: with a backlog of 45 000
 * runs a count took ~4 ms, every 250 ms that was 1.6 % of the server's thread during intake
 * (`npm run bench:profile -- --case 3`), just when intake needs all of it.
 */
const COST_SHARE = 200

/**
 * How many runs wait in the queue, for back-pressure. Counting on every request would cost as
 * much as the queue is long, so the count is refreshed at most every `refreshMs` (longer while a
 * count is slow: see COST_SHARE) and runs this process enqueued since are added on top. Between
 * counts its own share can only be too high (runs that ended meanwhile still count); what other
 * instances enqueued on a shared database shows at the next count, as before.
 */
export function createQueueDepth (queue: Pick<QueueStore, 'depth'>, options: QueueDepthOptions = {}) {
  const refreshMs = options.refreshMs ?? 250
  const maxRefreshMs = options.maxRefreshMs ?? 5000
  const now = options.now ?? (() => performance.now())
  let counted = 0
  let nextCountAt = Number.NEGATIVE_INFINITY
  let since = 0

  return {
    async current (): Promise<number> {
      const startedAt = now()
      if (startedAt >= nextCountAt) {
        counted = await queue.depth()
        const countedAt = now()
        nextCountAt = countedAt + Math.min(maxRefreshMs, Math.max(refreshMs, (countedAt - startedAt) * COST_SHARE))
        since = 0
      }
      return counted + since
    },
    /** Runs just enqueued by this process. */
    added (count = 1): void { since += count }
  }
}

export type QueueDepth = ReturnType<typeof createQueueDepth>
