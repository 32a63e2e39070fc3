import autocannon from 'autocannon'
import type { BenchCase } from './cases/index.js'
import { watchCpu, type CpuSplit } from './cpu-watch.js'
import { sampleRss } from './rss.js'
import type { RunningServer } from './server-process.js'

export interface LoadOptions {
  connections: number
  durationSec: number
  warmupSec: number
}

export interface RoundFigures {
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  peakRssMb: number
  processes: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  cpu: CpuSplit
}

async function fire (server: RunningServer, benchCase: BenchCase, load: LoadOptions, durationSec: number): Promise<autocannon.Result> {
  return await autocannon({
    url: `${server.url}${benchCase.request.path}`,
    method: benchCase.request.method,
    headers: benchCase.request.headers,
    body: benchCase.request.body,
    connections: load.connections,
    pipelining: 1,
    duration: durationSec
  })
}

/**
 * One round against one target: a warm-up whose figures are thrown away (JIT, connection
 * set-up, SQLite page cache), then the measured run with RSS sampled alongside.
 */
export async function measureRound (
  server: RunningServer, benchCase: BenchCase, load: LoadOptions, ourPids: () => Promise<number[]>
): Promise<RoundFigures> {
  if (load.warmupSec > 0) await fire(server, benchCase, load, load.warmupSec)
  const cpu = await watchCpu(server.pid, ourPids)
  const rss = sampleRss(server.pid)
  const result = await fire(server, benchCase, load, load.durationSec)
  const peak = await rss.stop()
  const cpuSplit = await cpu.stop()
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb: peak.peakMb,
    processes: peak.processes,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu: cpuSplit
  }
}
