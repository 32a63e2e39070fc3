import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { treePids } from './process-tree.js'

export interface RssPeak {
  /** Highest sampled sum of VmRSS over the server(s) and their child processes. */
  peakMb: number
  /** Most processes seen in one sample: 1 for B1, 1 + evaluation hosts for hookflow in hosts mode. */
  processes: number
}

async function vmRssKb (pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0)
  } catch {
    // Gone between listing and reading (a host replaced after a crash): it holds no memory now.
    return 0
  }
}

/**
 * Samples the RSS of each of `roots` (a server, or every instance of a group) plus their children
 * until stopped, summed. Children are listed again at each sample because hookflow replaces an
 * evaluation host that dies.
 */
export function sampleRss (roots: number[], intervalMs = 250): { stop: () => Promise<RssPeak> } {
  let running = true
  const peak: RssPeak = { peakMb: 0, processes: 0 }
  const loop = (async () => {
    while (running) {
      const pids = (await Promise.all(roots.map(treePids))).flat()
      const kb = (await Promise.all(pids.map(vmRssKb))).reduce((sum, value) => sum + value, 0)
      peak.peakMb = Math.max(peak.peakMb, kb / 1024)
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
