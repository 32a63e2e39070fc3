import { readFile } from 'node:fs/promises'

/** CPU time in clock ticks, as /proc counts it; only differences and ratios of these mean anything. */

export async function machineTicks (): Promise<{ busy: number, total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]
  // cpu user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

/** utime + stime, plus cutime + cstime so that reaped children (the bench's pgrep calls) count too. */
export async function processTicks (pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
  } catch {
    return 0
  }
}

export async function sumTicks (pids: number[]): Promise<number> {
  return (await Promise.all(pids.map(processTicks))).reduce((sum, ticks) => sum + ticks, 0)
}
