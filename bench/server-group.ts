import type { QueueDatabase } from './queue-drain.js'
import type { RunningServer } from './server-process.js'
import { treePids } from './process-tree.js'

/** The processes that take a target's requests: one, or each instance of a group. */
export const instancesOf = (server: RunningServer): RunningServer[] => server.instances ?? [server]

/**
 * Several servers on one database, measured as one target (case 8). The first one's URL and pid
 * stand for the group where one is enough (a disturbance); stopping it stops them all.
 */
export function groupServers (
  servers: RunningServer[], shared: { database: QueueDatabase, databasePids: () => Promise<number[]> }
): RunningServer {
  if (servers.length === 0) throw new Error('a group needs at least one server')
  return {
    url: servers[0].url,
    pid: servers[0].pid,
    instances: servers,
    database: shared.database,
    databasePids: shared.databasePids,
    stop: async () => { await Promise.all(servers.map(async (server) => await server.stop())) }
  }
}

/** Every process working for the target: each instance with its children, and the database server's. */
export async function targetPids (server: RunningServer): Promise<number[]> {
  const trees = await Promise.all(instancesOf(server).map(async (instance) => await treePids(instance.pid)))
  return [...trees.flat(), ...(await server.databasePids?.() ?? [])]
}
