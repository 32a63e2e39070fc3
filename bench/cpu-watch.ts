import { availableParallelism } from 'node:os'
import { machineTicks, processTicks, sumTicks } from './cpu-ticks.js'
import { childPids } from './process-tree.js'

/** Where the CPU went during a round, in cores' worth (1.0 = one core busy the whole round). */
export interface CpuSplit {
  /** The server process under test: its own threads. */
  serverCores: number
  /**
   * Its child processes: hookflow's evaluation hosts in hosts mode, including hosts killed at a
   * deadline and their replacements (case 6), and webhook's commands.
   */
  childCores: number
  /**
   * Processes other than the bench and its servers. This machine is shared (an editor's
   * type-check lands in the middle of a round), and on 2 cores that alone can halve a result:
   * this tells a contaminated round from a real change.
   */
  otherCores: number
}

interface Snapshot { busy: number, total: number, serverSelf: number, tree: number, ours: number }

async function snapshot (serverPid: number, children: number[], ourPids: number[]): Promise<Snapshot> {
  const [machine, server, childTicks, ours] = await Promise.all([
    machineTicks(), processTicks(serverPid), sumTicks(children), sumTicks(ourPids)
  ])
  return { ...machine, serverSelf: server.self, tree: server.self + server.reaped + childTicks, ours }
}

const union = (a: number[], b: number[]): number[] => [...new Set([...a, ...b])]

/**
 * `ourPids` lists the bench and every server with its children. Children are listed at the start
 * and again at the end: a process that started during the round (a replacement host) had no time
 * before it, and one that ended during it left its time in its parent's reaped time, so the sums
 * cover everything the bench and its servers used.
 */
export async function watchCpu (serverPid: number, ourPids: () => Promise<number[]>): Promise<{ stop: () => Promise<CpuSplit> }> {
  const children = await childPids(serverPid)
  const ours = await ourPids()
  const before = await snapshot(serverPid, children, ours)
  return {
    stop: async () => {
      const after = await snapshot(serverPid, union(children, await childPids(serverPid)), union(ours, await ourPids()))
      const total = after.total - before.total
      const cores = (ticks: number): number => total <= 0 ? 0 : Math.max(0, ticks / total) * availableParallelism()
      const serverTicks = after.serverSelf - before.serverSelf
      return {
        serverCores: cores(serverTicks),
        childCores: cores((after.tree - before.tree) - serverTicks),
        otherCores: cores((after.busy - before.busy) - (after.ours - before.ours))
      }
    }
  }
}
