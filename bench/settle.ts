import { availableParallelism } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { machineTicks, sumTicks } from './cpu-ticks.js'

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
    const [before, machineBefore] = await Promise.all([sumTicks(watched), machineTicks()])
    await sleep(WINDOW_MS)
    const [after, machineAfter] = await Promise.all([sumTicks(watched), machineTicks()])
    // Ticks over all the machine's ticks, as cpu-watch.ts counts cores: no clock rate assumed.
    const total = machineAfter.total - machineBefore.total
    const cores = total <= 0 ? 0 : (after - before) / total * availableParallelism()
    const waitedMs = Date.now() - started
    if (cores <= IDLE_CORES) return { waitedMs, idle: true }
    if (waitedMs >= MAX_WAIT_MS) return { waitedMs, idle: false }
  }
}
