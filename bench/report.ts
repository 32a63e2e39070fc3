import type { LoadOptions, RoundFigures } from './measure.js'
import { hasFailures, type TargetSummary } from './summary.js'

const int = (value: number): string => Math.round(value).toString()
/** Above this, a round shared the machine with someone else's work and is marked. */
const BUSY_MACHINE_CORES = 0.25

const ms = (value: number): string => Number.isInteger(value) ? value.toString() : value.toFixed(2)

/** A Markdown table, so a run's output can go into docs/performance.md as printed. */
export function formatCaseTable (title: string, load: LoadOptions, rounds: number, summaries: TargetSummary[]): string {
  const lines = [
    `### ${title}`,
    '',
    `Medians of ${rounds} interleaved round(s) of ${load.durationSec} s (after ${load.warmupSec} s warm-up), ${load.connections} connections, pipelining 1.`,
    '',
    '| target | req/s | ratio to B1 | p50 ms | p99 ms | peak RSS MB | processes | CPU cores | req/s per round |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'
  ]
  for (const summary of summaries) {
    const { reqPerSec, p50Ms, p99Ms, peakRssMb, cpuCores } = summary.median
    const perRound = summary.rounds.map((round) => `${int(round.reqPerSec)}${round.cpu.otherCores > BUSY_MACHINE_CORES ? '*' : ''}`).join(' / ')
    lines.push(`| ${summary.label} | ${int(reqPerSec)} | ${summary.ratioToB1.toFixed(2)} | ${ms(p50Ms)} | ${ms(p99Ms)} | ` +
      `${peakRssMb.toFixed(1)} | ${summary.processes} | ${cpuCores.toFixed(2)} | ${perRound} |`)
  }
  lines.push('', 'Peak RSS and CPU cores: the server process plus its child processes (for hookflow in hosts mode, its ' +
    'evaluation hosts). RSS is sampled every 250 ms during the measured part of each round; CPU cores is the CPU time ' +
    'they used over the round\'s length (1.00 = one core busy throughout). The load generator (autocannon) runs in ' +
    'the bench process, on the same cores.')
  const otherLoad = summaries.flatMap((summary) => summary.rounds.map((round) => round.cpu.otherCores))
  lines.push(`Other processes on the machine used ${Math.min(...otherLoad).toFixed(2)}–${Math.max(...otherLoad).toFixed(2)} cores ` +
    `during the measured rounds (0 on a quiet machine); * marks a round where they used more than ${BUSY_MACHINE_CORES}.`)
  for (const summary of summaries.filter(hasFailures)) {
    const { non2xx, errors, timeouts } = summary.failures
    lines.push(`WARNING: ${summary.label} had ${non2xx} non-2xx replies, ${errors} errors, ${timeouts} timeouts.`)
  }
  return lines.join('\n')
}

export function formatRoundLine (round: number, label: string, figures: RoundFigures): string {
  return `  round ${round}  ${label.padEnd(32)} ${int(figures.reqPerSec).padStart(7)} req/s  ` +
    `p50 ${ms(figures.p50Ms)} ms  p99 ${ms(figures.p99Ms)} ms  RSS ${figures.peakRssMb.toFixed(1)} MB  ` +
    `CPU cores: server ${figures.cpu.serverCores.toFixed(2)} children ${figures.cpu.childCores.toFixed(2)} ` +
    `others ${figures.cpu.otherCores.toFixed(2)}`
}
