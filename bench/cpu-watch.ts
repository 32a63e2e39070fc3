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
   * The database server's processes (PostgreSQL, case 8); 0 on SQLite, whose work is done in the
   * server's own threads. Counted in the row's CPU so the two backends compare fairly.
   */
  databaseCores: number
  /**
   * Processes other than the bench and its servers. This machine is shared (an editor's
   * type-check lands in the middle of a round), and on 2 cores that alone can halve a result:
   * this tells a contaminated round from a real change.
   */
  otherCores: number
}

interface Snapshot { busy: number, total: number, serverSelf: number, tree: number, database: number, ours: number }

async function snapshot (serverPids: number[], children: number[], databasePids: number[], ourPids: number[]): Promise<Snapshot> {
  const [machine, servers, childTicks, database, ours] = await Promise.all([
    machineTicks(), Promise.all(serverPids.map(processTicks)), sumTicks(children), sumTicks(databasePids), sumTicks(ourPids)
  ])
  const serverSelf = servers.reduce((sum, ticks) => sum + ticks.self, 0)
  const reaped = servers.reduce((sum, ticks) => sum + ticks.reaped, 0)
  return { ...machine, serverSelf, tree: serverSelf + reaped + childTicks, database, ours }
}

const union = (a: number[], b: number[]): number[] => [...new Set([...a, ...b])]

async function childrenOf (pids: number[]): Promise<number[]> {
  return (await Promise.all(pids.map(childPids))).flat()
}

/**
 * `serverPids`: the server, or each instance of a group (their CPU is added up). `ourPids` lists
 * the bench and every server with its children and any database server. Children (and database
 * processes: a backend per connection) are listed at the start and again at the end: a process
 * that started during the round (a replacement host) had no time before it, and one that ended
 * during it left its time in its parent's reaped time, so the sums cover everything the bench
 * and its servers used.
 */
export async function watchCpu (
  serverPids: number[], databasePids: () => Promise<number[]>, ourPids: () => Promise<number[]>
): Promise<{ stop: () => Promise<CpuSplit> }> {
  const children = await childrenOf(serverPids)
  const database = await databasePids()
  const ours = await ourPids()
  const before = await snapshot(serverPids, children, database, ours)
  return {
    stop: async () => {
      const after = await snapshot(serverPids, union(children, await childrenOf(serverPids)),
        union(database, await databasePids()), union(ours, await ourPids()))
      const total = after.total - before.total
      const cores = (ticks: number): number => total <= 0 ? 0 : Math.max(0, ticks / total) * availableParallelism()
      const serverTicks = after.serverSelf - before.serverSelf
      return {
        serverCores: cores(serverTicks),
        childCores: cores((after.tree - before.tree) - serverTicks),
        databaseCores: cores(after.database - before.database),
        otherCores: cores((after.busy - before.busy) - (after.ours - before.ours))
      }
    }
  }
}
