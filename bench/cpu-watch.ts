import { availableParallelism } from 'node:os'
import { machineTicks, sumTicks } from './cpu-ticks.js'
import { childPids } from './process-tree.js'

/** Where the CPU went during a round, in cores' worth (1.0 = one core busy the whole round). */
export interface CpuSplit {
  /** The server process under test. */
  serverCores: number
  /** Its child processes: hookflow's evaluation hosts in hosts mode. */
  childCores: number
  /**
   * Processes other than the bench and its servers. This machine is shared (an editor's
   * type-check lands in the middle of a round), and on 2 cores that alone can halve a result:
   * this tells a contaminated round from a real change.
   */
  otherCores: number
}

interface Snapshot { busy: number, total: number, server: number, children: number, ours: number }

async function snapshot (serverPid: number, children: number[], ourPids: number[]): Promise<Snapshot> {
  const [machine, server, childTicks, ours] = await Promise.all([
    machineTicks(), sumTicks([serverPid]), sumTicks(children), sumTicks(ourPids)
  ])
  return { ...machine, server, children: childTicks, ours }
}

/**
 * `ourPids` lists the bench and every server with its children. Both lists are taken once, at the
 * start, so the two snapshots sum the same processes.
 */
export async function watchCpu (serverPid: number, ourPids: () => Promise<number[]>): Promise<{ stop: () => Promise<CpuSplit> }> {
  const children = await childPids(serverPid)
  const ours = await ourPids()
  const before = await snapshot(serverPid, children, ours)
  return {
    stop: async () => {
      const after = await snapshot(serverPid, children, ours)
      const total = after.total - before.total
      const cores = (ticks: number): number => total <= 0 ? 0 : Math.max(0, ticks / total) * availableParallelism()
      return {
        serverCores: cores(after.server - before.server),
        childCores: cores(after.children - before.children),
        otherCores: cores((after.busy - before.busy) - (after.ours - before.ours))
      }
    }
  }
}
