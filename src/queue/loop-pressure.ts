import { performance, type EventLoopUtilization } from 'node:perf_hooks'

export interface LoopPressure {
  /** The event loop was busy for at least `threshold` of the last window that ended. */
  saturated: () => boolean
}

export interface LoopPressureOptions {
  /** The shortest window a reading covers; a call within it gets the last reading. */
  windowMs?: number
  /** Busy share of a window from which the loop counts as saturated. */
  threshold?: number
  /** Busy share of the loop since the previous reading (for tests); default Node's own figure. */
  busySince?: () => number
  now?: () => number
}

/** Node's event loop utilisation since the previous call (the first call: since the process started). */
function eventLoopBusy (): () => number {
  let last: EventLoopUtilization | undefined
  return () => {
    const current = performance.eventLoopUtilization()
    const share = last === undefined ? current.utilization : performance.eventLoopUtilization(current, last).utilization
    last = current
    return share
  }
}

/**
 * How busy the server's event loop is, read in windows of `windowMs`: cheap enough to ask at every
 * enqueue (a reading is two clock reads, and at most one per window). A long quiet spell is one long
 * window that reads as idle, so a stale "saturated" never outlives the load that caused it.
 */
export function createLoopPressure (options: LoopPressureOptions = {}): LoopPressure {
  const windowMs = options.windowMs ?? 10
  const threshold = options.threshold ?? 0.9
  const busySince = options.busySince ?? eventLoopBusy()
  const now = options.now ?? Date.now
  let readAt = now()
  busySince()
  let saturated = false
  return {
    saturated () {
      const at = now()
      if (at - readAt >= windowMs) {
        saturated = busySince() >= threshold
        readAt = at
      }
      return saturated
    }
  }
}
