import { setTimeout as sleep } from 'node:timers/promises'
import { sumTicks } from './cpu-ticks.js'

const TICKS_PER_SECOND = 100
const WINDOW_MS = 250
/** Busier than this over a window, the servers are still at work. */
const IDLE_CORES = 0.05
const MAX_WAIT_MS = 30_000

/**
 * Waits until the listed processes are idle: adnanh/webhook starts its command after it has
 * answered, and after a round of 50 connections it went on forking `/bin/true` for seconds, into
 * the next row (B1 measured at 3 000 instead of 26 000 req/s after it). Returns how long it waited.
 */
export async function waitUntilIdle (pids: () => Promise<number[]>): Promise<{ waitedMs: number, idle: boolean }> {
  const started = Date.now()
  for (;;) {
    const watched = await pids()
    const before = await sumTicks(watched)
    await sleep(WINDOW_MS)
    const cores = (await sumTicks(watched) - before) / TICKS_PER_SECOND / (WINDOW_MS / 1000)
    const waitedMs = Date.now() - started
    if (cores <= IDLE_CORES) return { waitedMs, idle: true }
    if (waitedMs >= MAX_WAIT_MS) return { waitedMs, idle: false }
  }
}
