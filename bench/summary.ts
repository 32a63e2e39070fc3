import type { RoundFigures } from './measure.js'
import { median } from './stats.js'
import type { Target } from './targets.js'

export interface TargetSummary {
  target: string
  label: string
  rounds: RoundFigures[]
  median: { reqPerSec: number, p50Ms: number, p99Ms: number, peakRssMb: number, cpuCores: number }
  /** Median req/s over the baseline's median req/s. */
  ratioToB1: number
  processes: number
  failures: { non2xx: number, errors: number, timeouts: number }
}

const sum = (rounds: RoundFigures[], pick: (round: RoundFigures) => number): number =>
  rounds.reduce((total, round) => total + pick(round), 0)

/** Each figure's median is taken on its own: the median p99 may come from another round than the median req/s. */
export function summarize (targets: Target[], roundsByTarget: Map<string, RoundFigures[]>): TargetSummary[] {
  const medianOf = (name: string, pick: (round: RoundFigures) => number): number =>
    median((roundsByTarget.get(name) ?? []).map(pick))
  const baseline = targets.find((target) => target.baseline)
  const baselineReqPerSec = baseline === undefined ? Number.NaN : medianOf(baseline.name, (round) => round.reqPerSec)
  return targets.map((target) => {
    const rounds = roundsByTarget.get(target.name) ?? []
    const reqPerSec = medianOf(target.name, (round) => round.reqPerSec)
    return {
      target: target.name,
      label: target.label,
      rounds,
      median: {
        reqPerSec,
        p50Ms: medianOf(target.name, (round) => round.p50Ms),
        p99Ms: medianOf(target.name, (round) => round.p99Ms),
        peakRssMb: medianOf(target.name, (round) => round.peakRssMb),
        cpuCores: medianOf(target.name, (round) => round.cpu.serverCores + round.cpu.childCores)
      },
      ratioToB1: reqPerSec / baselineReqPerSec,
      processes: Math.max(0, ...rounds.map((round) => round.processes)),
      failures: {
        non2xx: sum(rounds, (round) => round.non2xx),
        errors: sum(rounds, (round) => round.errors),
        timeouts: sum(rounds, (round) => round.timeouts)
      }
    }
  })
}

export const hasFailures = (summary: TargetSummary): boolean =>
  summary.failures.non2xx + summary.failures.errors + summary.failures.timeouts > 0
