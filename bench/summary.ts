import type { CaseRow } from './cases/bench-case.js'
import type { RoundFigures } from './measure.js'
import { median } from './stats.js'

export interface RowSummary {
  row: string
  label: string
  target: string
  unit: 'req' | 'op'
  connections: number
  rounds: RoundFigures[]
  median: { reqPerSec: number, p50Ms: number, p99Ms: number, peakRssMb: number, peakPssMb: number, cpuCores: number }
  /** Median req/s (or ops/s) over the case's B1 (B2) row's median req/s; null when the case has no such row. */
  ratioToB1: number | null
  ratioToB2: number | null
  /** The same over the case's reference row (case 8: SQLite); null when it has none. */
  ratioToReference: number | null
  /** Server processes taking the load: more than 1 for a group of instances on one database (case 8). */
  instances: number
  processes: number
  failures: { non2xx: number, errors: number, timeouts: number }
  drain?: {
    backlog: number
    drainSec: number
    intakePerSec: number
    /** Null: the queue kept up (nothing left when intake stopped) in the median round. */
    drainPerSec: number | null
    endToEndPerSec: number
    /** End-to-end runs/s over the reference row's (case 8); null when the case has none. */
    endToEndRatioToReference: number | null
    /** False if any round's queue did not empty within the bench's wait. */
    drainedEveryRound: boolean
  }
  disturbance?: Record<string, number>
}

const sum = (rounds: RoundFigures[], pick: (round: RoundFigures) => number): number =>
  rounds.reduce((total, round) => total + pick(round), 0)

const finiteOrNull = (value: number): number | null => Number.isFinite(value) ? value : null

const endToEnd = (round: RoundFigures): number => round.drain?.endToEndPerSec ?? Number.NaN

/**
 * Each figure's median is taken on its own: the median p99 may come from another round than the
 * median req/s. `instancesByTarget`: how many processes each target's load went to (1 if absent).
 */
export function summarize (
  rows: CaseRow[], roundsByRow: Map<string, RoundFigures[]>, defaultConnections: number, instancesByTarget = new Map<string, number>()
): RowSummary[] {
  const medianOf = (id: string, pick: (round: RoundFigures) => number): number => median((roundsByRow.get(id) ?? []).map(pick))
  const medianOfRow = (row: CaseRow | undefined, pick: (round: RoundFigures) => number): number | undefined =>
    row === undefined ? undefined : medianOf(row.id, pick)
  const b1 = medianOfRow(rows.find((row) => row.baseline === 'b1'), (round) => round.reqPerSec)
  const b2 = medianOfRow(rows.find((row) => row.baseline === 'b2'), (round) => round.reqPerSec)
  const reference = rows.find((row) => row.reference !== undefined)
  const referenceReqPerSec = medianOfRow(reference, (round) => round.reqPerSec)
  const referenceEndToEnd = medianOfRow(reference, endToEnd)
  return rows.map((row) => {
    const rounds = roundsByRow.get(row.id) ?? []
    const reqPerSec = medianOf(row.id, (round) => round.reqPerSec)
    const drained = rounds.filter((round) => round.drain !== undefined)
    const disturbances = rounds.flatMap((round) => round.disturbance === undefined ? [] : [round.disturbance.byStatus])
    return {
      row: row.id,
      label: row.label,
      target: row.target.name,
      unit: row.load.unit,
      connections: row.connections ?? defaultConnections,
      rounds,
      median: {
        reqPerSec,
        p50Ms: medianOf(row.id, (round) => round.p50Ms),
        p99Ms: medianOf(row.id, (round) => round.p99Ms),
        peakRssMb: medianOf(row.id, (round) => round.peakRssMb),
        // Results written before PSS was sampled have none.
        peakPssMb: medianOf(row.id, (round) => round.peakPssMb ?? 0),
        cpuCores: medianOf(row.id, (round) => round.cpu.serverCores + round.cpu.childCores + round.cpu.databaseCores)
      },
      ratioToB1: b1 === undefined ? null : reqPerSec / b1,
      ratioToB2: b2 === undefined ? null : reqPerSec / b2,
      ratioToReference: referenceReqPerSec === undefined ? null : reqPerSec / referenceReqPerSec,
      instances: instancesByTarget.get(row.target.name) ?? 1,
      processes: Math.max(0, ...rounds.map((round) => round.processes)),
      failures: {
        non2xx: sum(rounds, (round) => round.non2xx),
        errors: sum(rounds, (round) => round.errors),
        timeouts: sum(rounds, (round) => round.timeouts)
      },
      drain: drained.length === 0
        ? undefined
        : {
            backlog: median(drained.map((round) => round.drain!.backlog)),
            drainSec: median(drained.map((round) => round.drain!.drainSec)),
            intakePerSec: median(drained.map((round) => round.drain!.intakePerSec)),
            drainPerSec: finiteOrNull(median(drained.map((round) => round.drain!.drainPerSec ?? Number.POSITIVE_INFINITY))),
            endToEndPerSec: median(drained.map((round) => round.drain!.endToEndPerSec)),
            endToEndRatioToReference: referenceEndToEnd === undefined
              ? null
              : finiteOrNull(median(drained.map((round) => round.drain!.endToEndPerSec)) / referenceEndToEnd),
            drainedEveryRound: drained.every((round) => round.drain!.drained)
          },
      disturbance: disturbances.length === 0
        ? undefined
        : disturbances.reduce<Record<string, number>>((total, byStatus) => {
          for (const [status, count] of Object.entries(byStatus)) total[status] = (total[status] ?? 0) + count
          return total
        }, {})
    }
  })
}

export const hasFailures = (summary: RowSummary): boolean =>
  summary.failures.non2xx + summary.failures.errors + summary.failures.timeouts > 0
