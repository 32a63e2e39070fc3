import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { treePids } from './process-tree.js'

export interface RssPeak {
  /** Highest sampled sum of VmRSS over the server(s) and their child processes. */
  peakMb: number
  /**
   * Highest sampled sum of their PSS (proportional set size): pages they share — the Node binary
   * mapped by the server and every evaluation host, ~13 MB each — counted once between them
   * rather than once per process, as the RSS sum does. What the group takes from the machine.
   */
  peakPssMb: number
  /** Most processes seen in one sample: 1 for B1, 1 + evaluation hosts for hookflow in hosts mode. */
  processes: number
}

async function memoryKb (pid: number): Promise<{ rss: number, pss: number }> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8')
    return { rss: Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0), pss: Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) }
  } catch {
    // Gone between listing and reading (a host replaced after a crash): it holds no memory now.
    return { rss: 0, pss: 0 }
  }
}

/**
 * Samples the RSS of each of `roots` (a server, or every instance of a group) plus their children
 * until stopped, summed. Children are listed again at each sample because hookflow replaces an
 * evaluation host that dies.
 */
export function sampleRss (roots: number[], intervalMs = 250): { stop: () => Promise<RssPeak> } {
  let running = true
  const peak: RssPeak = { peakMb: 0, peakPssMb: 0, processes: 0 }
  const loop = (async () => {
    while (running) {
      const pids = (await Promise.all(roots.map(treePids))).flat()
      const kb = (await Promise.all(pids.map(memoryKb))).reduce((sum, value) => ({ rss: sum.rss + value.rss, pss: sum.pss + value.pss }), { rss: 0, pss: 0 })
      peak.peakMb = Math.max(peak.peakMb, kb.rss / 1024)
      peak.peakPssMb = Math.max(peak.peakPssMb, kb.pss / 1024)
      peak.processes = Math.max(peak.processes, pids.length)
      await sleep(intervalMs)
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return peak
    }
  }
}
