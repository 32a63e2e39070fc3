import { readdir, readFile } from 'node:fs/promises'

/**
 * The bench looks for a server's children every 250 ms while autocannon measures in this same
 * process, so finding them must not spawn anything: `pgrep -P` did, and each fork of the bench
 * stalled autocannon's event loop for milliseconds. In alternating 5 s rounds of case 7 that cost
 * ~8 % of the pages and 5–7 ms of p99 — latency the server never had (docs/performance.md).
 * Linux lists each thread's children in `/proc/<pid>/task/<tid>/children`; where the kernel does
 * not, every process's parent is read from `/proc/<n>/stat` instead.
 */
async function childrenFromTaskFiles (pid: number): Promise<number[] | undefined> {
  let tasks: string[]
  try {
    tasks = await readdir(`/proc/${pid}/task`)
  } catch {
    return []
  }
  const lists = await Promise.all(tasks.map(async (task) => await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => undefined)))
  if (lists.every((list) => list === undefined)) return undefined
  return lists.join(' ').split(/\s+/).filter((field) => field !== '').map(Number)
}

/** `/proc/<n>/stat`'s fourth field is the parent; the second, the name, may hold spaces and parentheses. */
export async function childrenFromStat (pid: number): Promise<number[]> {
  const entries = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))
  const parents = await Promise.all(entries.map(async (entry) => {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  }))
  return entries.filter((_, i) => parents[i] === pid).map(Number)
}

/** Direct children only: hookflow's evaluation hosts are forked by the server itself. */
export async function childPids (pid: number): Promise<number[]> {
  return await childrenFromTaskFiles(pid) ?? await childrenFromStat(pid)
}

/** The process and its children. */
export async function treePids (pid: number): Promise<number[]> {
  return [pid, ...await childPids(pid)]
}
