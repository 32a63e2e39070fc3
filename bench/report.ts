import type { BenchCase } from './cases/bench-case.js'
import type { LoadOptions, RoundFigures } from './measure.js'
import { hasFailures, type RowSummary } from './summary.js'

const int = (value: number): string => Number.isFinite(value) ? Math.round(value).toString() : '–'
/** Above this, a round shared the machine with someone else's work and is marked. */
export const BUSY_MACHINE_CORES = 0.25

export const ms = (value: number): string => !Number.isFinite(value) ? '–' : Number.isInteger(value) ? value.toString() : value.toFixed(2)
const ratio = (value: number | null): string => value === null || !Number.isFinite(value) ? '–' : value.toFixed(2)

interface RatioColumn { header: string, of: (summary: RowSummary) => number | null }

/**
 * B1 and B2 as always; a case with a reference row of its own (case 8) shows the ratio to it,
 * and to B1 or B2 only if it has those rows.
 */
function ratioColumns (benchCase: BenchCase): RatioColumn[] {
  const b1: RatioColumn = { header: 'ratio to B1', of: (summary) => summary.ratioToB1 }
  const b2: RatioColumn = { header: 'ratio to B2', of: (summary) => summary.ratioToB2 }
  const reference = benchCase.rows.find((row) => row.reference !== undefined)
  if (reference === undefined) return [b1, b2]
  return [
    ...benchCase.rows.some((row) => row.baseline === 'b1') ? [b1] : [],
    ...benchCase.rows.some((row) => row.baseline === 'b2') ? [b2] : [],
    { header: `ratio to ${reference.reference!}`, of: (summary) => summary.ratioToReference }
  ]
}

function quotedRatio (benchCase: BenchCase): string {
  if (benchCase.ratioTo !== 'reference') return `The spec quotes the ratio to ${benchCase.ratioTo.toUpperCase()}.`
  const reference = benchCase.rows.find((row) => row.reference !== undefined)
  return `Ratios are to the row "${reference?.label ?? '?'}" of this run.`
}

function formatDrainTable (benchCase: BenchCase, drained: RowSummary[]): string[] {
  const reference = benchCase.rows.find((row) => row.reference !== undefined)?.reference
  const lines = ['', `| row | intake runs/s | backlog when intake stopped | drain s | drain runs/s | end-to-end runs/s |${reference === undefined ? '' : ` end-to-end ratio to ${reference} |`}`,
    `| --- | ---: | ---: | ---: | ---: | ---: |${reference === undefined ? '' : ' ---: |'}`]
  for (const summary of drained) {
    const drain = summary.drain!
    lines.push(`| ${summary.label} | ${int(drain.intakePerSec)} | ${int(drain.backlog)} | ${drain.drainSec.toFixed(2)} | ` +
      `${drain.drainPerSec === null ? 'kept up' : int(drain.drainPerSec)} | ${int(drain.endToEndPerSec)} |` +
      `${reference === undefined ? '' : ` ${ratio(drain.endToEndRatioToReference)} |`}` +
      `${drain.drainedEveryRound ? '' : ' (a round gave up waiting: queue not empty)'}`)
  }
  lines.push('', 'Drain: after the measured part the bench reads the database every 10 ms until no run is queued or ' +
    'running (the SQLite file read-only; on PostgreSQL one connection of its own, which sees every instance\'s runs). ' +
    'Drain runs/s is the backlog over that time; end-to-end is the runs acknowledged over the measured part plus the drain.')
  return lines
}

/** A Markdown table, so a run's output can go into docs/performance.md as printed. */
export function formatCaseTable (benchCase: BenchCase, load: LoadOptions, rounds: number, summaries: RowSummary[]): string {
  const ratios = ratioColumns(benchCase)
  const lines = [
    `### ${benchCase.title}`,
    '',
    benchCase.about,
    '',
    `Medians of ${rounds} interleaved round(s) of ${load.durationSec} s (after ${load.warmupSec} s warm-up), ` +
      `${load.connections} connections unless the row says otherwise, pipelining 1. ${quotedRatio(benchCase)}`,
    '',
    `| row | req/s | ${ratios.map((column) => column.header).join(' | ')} | p50 ms | p99 ms | peak RSS MB | peak PSS MB | processes | CPU cores | req/s per round |`,
    `| --- | ---: | ${ratios.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: | ---: | --- |`
  ]
  for (const summary of summaries) {
    const { reqPerSec, p50Ms, p99Ms, peakRssMb, peakPssMb, cpuCores } = summary.median
    const perRound = summary.rounds.map((round) => `${int(round.reqPerSec)}${round.cpu.otherCores > BUSY_MACHINE_CORES ? '*' : ''}`).join(' / ')
    const unit = summary.unit === 'op' ? ' (ops/s)' : ''
    lines.push(`| ${summary.label}${unit} | ${int(reqPerSec)} | ${ratios.map((column) => ratio(column.of(summary))).join(' | ')} | ` +
      `${ms(p50Ms)} | ${ms(p99Ms)} | ${peakRssMb.toFixed(1)} | ${peakPssMb.toFixed(1)} | ${summary.processes} | ${cpuCores.toFixed(2)} | ${perRound} |`)
  }
  const drained = summaries.filter((summary) => summary.drain !== undefined)
  if (drained.length > 0) lines.push(...formatDrainTable(benchCase, drained))
  for (const summary of summaries.filter((s) => s.disturbance !== undefined)) {
    const counts = Object.entries(summary.disturbance!).map(([status, count]) => `${count} × ${status}`).join(', ')
    lines.push('', `${summary.label}: the disturbance's requests over all rounds (warm-ups included): ${counts}.`)
  }
  const otherLoad = summaries.flatMap((summary) => summary.rounds.map((round) => round.cpu.otherCores))
  lines.push('', `Other processes on the machine used ${Math.min(...otherLoad).toFixed(2)}–${Math.max(...otherLoad).toFixed(2)} cores ` +
    `during the measured rounds (0 on a quiet machine); * marks a round where they used more than ${BUSY_MACHINE_CORES}.`)
  for (const summary of summaries.filter(hasFailures)) {
    const { non2xx, errors, timeouts } = summary.failures
    lines.push(`WARNING: ${summary.label} had ${non2xx} non-2xx replies, ${errors} errors, ${timeouts} timeouts.`)
  }
  return lines.join('\n')
}

export function formatRoundLine (round: number, label: string, figures: RoundFigures): string {
  const drain = figures.drain === undefined
    ? ''
    : `  backlog ${figures.drain.backlog} drained in ${figures.drain.drainSec.toFixed(2)} s${figures.drain.drained ? '' : ' (gave up)'}`
  return `  round ${round}  ${label.padEnd(44)} ${int(figures.reqPerSec).padStart(7)}/s  ` +
    `p50 ${ms(figures.p50Ms)} ms  p99 ${ms(figures.p99Ms)} ms  RSS ${figures.peakRssMb.toFixed(1)} MB (PSS ${figures.peakPssMb.toFixed(1)})  ` +
    `CPU cores: server ${figures.cpu.serverCores.toFixed(2)} children ${figures.cpu.childCores.toFixed(2)} ` +
    `${figures.cpu.databaseCores > 0 ? `database ${figures.cpu.databaseCores.toFixed(2)} ` : ''}` +
    `others ${figures.cpu.otherCores.toFixed(2)}${drain}` +
    `${figures.non2xx + figures.errors + figures.timeouts > 0 ? `  FAILURES: ${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts` : ''}`
}
