import { readFile } from 'node:fs/promises'

/** CPU time in clock ticks, as /proc counts it; only differences and ratios of these mean anything. */

export async function machineTicks (): Promise<{ busy: number, total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]
  // cpu user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

export interface ProcessTicks {
  /** utime + stime: the process's own threads. */
  self: number
  /** cutime + cstime: children it has reaped (a killed evaluation host, the bench's pgrep calls). */
  reaped: number
}

export async function processTicks (pid: number): Promise<ProcessTicks> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { self: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) }
  } catch {
    // Gone: its time is in its parent's `reaped` once the parent has waited for it.
    return { self: 0, reaped: 0 }
  }
}

/** Self plus reaped time of every listed process. */
export async function sumTicks (pids: number[]): Promise<number> {
  return (await Promise.all(pids.map(processTicks))).reduce((sum, ticks) => sum + ticks.self + ticks.reaped, 0)
}
