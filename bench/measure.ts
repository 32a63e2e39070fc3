import type { CaseRow, DisturbanceFigures } from './cases/bench-case.js'
import { watchCpu, type CpuSplit } from './cpu-watch.js'
import { waitForDrain, type DrainFigures } from './queue-drain.js'
import { sampleRss } from './rss.js'
import { instancesOf } from './server-group.js'
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
  /** Shared pages counted once (see RssPeak). */
  peakPssMb: number
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
 * no row's backlog spills into the next row's round; RSS is sampled through the drain too. A
 * target of several instances takes the load on all of them at once, and its CPU and RSS are
 * those of all of them.
 */
export async function measureRound (
  row: CaseRow, server: RunningServer, load: LoadOptions, drains: boolean, ourPids: () => Promise<number[]>
): Promise<RoundFigures> {
  const connections = row.connections ?? load.connections
  const database = drains ? server.database : undefined
  const instances = instancesOf(server)
  const urls = instances.map((instance) => instance.url)
  const pids = instances.map((instance) => instance.pid)
  const disturbance = row.disturbance?.start(server)
  try {
    if (load.warmupSec > 0) await row.load.run(urls, connections, load.warmupSec)
    if (database !== undefined) await waitForDrain(database, DRAIN_TIMEOUT_MS)
    const cpu = await watchCpu(pids, server.databasePids ?? (async () => []), ourPids)
    const rss = sampleRss(pids)
    const result = await row.load.run(urls, connections, load.durationSec)
    const cpuSplit = await cpu.stop()
    const drain = database === undefined ? undefined : await waitForDrain(database, DRAIN_TIMEOUT_MS)
    const peak = await rss.stop()
    const acknowledged = result.completed - result.non2xx
    return {
      reqPerSec: result.perSec,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      peakRssMb: peak.peakMb,
      peakPssMb: peak.peakPssMb,
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
