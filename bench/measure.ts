import type { CaseRow, DisturbanceFigures } from './cases/bench-case.js'
import { watchCpu, type CpuSplit } from './cpu-watch.js'
import { waitForDrain, type DrainFigures } from './queue-drain.js'
import { sampleRss } from './rss.js'
import type { RunningServer } from './server-process.js'

export interface LoadOptions {
  connections: number
  durationSec: number
  warmupSec: number
}

export interface RoundFigures {
  /** Requests per second, or operations per second for a chained load (case 4). */
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  peakRssMb: number
  processes: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  cpu: CpuSplit
  /** Cases whose rows start async runs, on hookflow rows. */
  drain?: DrainFigures & {
    /** Runs acknowledged during the measured part, over its length. */
    intakePerSec: number
    /**
     * Backlog over drain time: how fast the queue emptied the backlog once intake stopped. Null
     * when nothing was left: the queue kept up with intake.
     */
    drainPerSec: number | null
    /** Acknowledged runs over the time from the start of intake to the empty queue. */
    endToEndPerSec: number
  }
  disturbance?: DisturbanceFigures
}

/** A backlog the queue cannot empty in this long is reported, and the bench moves on. */
const DRAIN_TIMEOUT_MS = 180_000

/**
 * One round of one row: a warm-up whose figures are thrown away (JIT, connection set-up, SQLite
 * page cache), then the measured run with CPU and RSS sampled alongside. In a draining case the
 * queue is left to empty after the warm-up (unmeasured) and after the measured part (timed), so
 * no row's backlog spills into the next row's round; RSS is sampled through the drain too.
 */
export async function measureRound (
  row: CaseRow, server: RunningServer, load: LoadOptions, drains: boolean, ourPids: () => Promise<number[]>
): Promise<RoundFigures> {
  const connections = row.connections ?? load.connections
  const dbPath = drains ? server.dbPath : undefined
  const disturbance = row.disturbance?.start(server)
  try {
    if (load.warmupSec > 0) await row.load.run(server.url, connections, load.warmupSec)
    if (dbPath !== undefined) await waitForDrain(dbPath, DRAIN_TIMEOUT_MS)
    const cpu = await watchCpu(server.pid, ourPids)
    const rss = sampleRss(server.pid)
    const result = await row.load.run(server.url, connections, load.durationSec)
    const cpuSplit = await cpu.stop()
    const drain = dbPath === undefined ? undefined : await waitForDrain(dbPath, DRAIN_TIMEOUT_MS)
    const peak = await rss.stop()
    const acknowledged = result.completed - result.non2xx
    return {
      reqPerSec: result.perSec,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      peakRssMb: peak.peakMb,
      processes: peak.processes,
      requests: result.completed,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      cpu: cpuSplit,
      drain: drain === undefined
        ? undefined
        : {
            ...drain,
            intakePerSec: acknowledged / load.durationSec,
            drainPerSec: drain.backlog === 0 ? null : drain.backlog / drain.drainSec,
            endToEndPerSec: acknowledged / (load.durationSec + drain.drainSec)
          },
      disturbance: disturbance === undefined ? undefined : await disturbance.stop()
    }
  } finally {
    // Stopped twice on the normal path: the second stop is a no-op that only waits.
    await disturbance?.stop()
  }
}
