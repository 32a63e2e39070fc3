import type { QueueStore } from '../storage/queue-store.js'

/**
 * How many runs wait in the queue, for back-pressure. Counting on every request would cost as
 * much as the queue is long, so the count is refreshed at most every `refreshMs` and runs
 * enqueued since are added on top.
 */
export function createQueueDepth (queue: Pick<QueueStore, 'depth'>, refreshMs = 250) {
  let counted = 0
  let countedAt = 0
  let since = 0

  return {
    async current (): Promise<number> {
      if (Date.now() - countedAt >= refreshMs) {
        counted = await queue.depth()
        countedAt = Date.now()
        since = 0
      }
      return counted + since
    },
    /** Runs just enqueued by this process. */
    added (count = 1): void { since += count }
  }
}

export type QueueDepth = ReturnType<typeof createQueueDepth>
