import { ms } from './report.js'
import type { CaseResult } from './run-case.js'
import type { RowSummary } from './summary.js'

/** One of the spec's targets, checked against this run's figures. */
export interface GoalCheck {
  cases: string
  goal: string
  measured: string
  /** Null: the case it needs did not run (`--cases`). */
  holds: boolean | null
}

const fixed = (value: number | null | undefined, digits = 2): string => value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)

/** The spec's targets are ratios within one run, so they hold or not whatever the machine's speed. */
export function checkGoals (results: CaseResult[]): GoalCheck[] {
  const row = (caseId: number, rowId: string): RowSummary | undefined =>
    results.find((result) => result.id === caseId)?.rows.find((summary) => summary.row === rowId)
  const checks: GoalCheck[] = []
  const check = (cases: string, goal: string, needed: Array<RowSummary | undefined>, measure: () => [string, boolean]): void => {
    if (needed.some((summary) => summary === undefined)) {
      checks.push({ cases, goal, measured: 'not run', holds: null })
      return
    }
    const [measured, holds] = measure()
    checks.push({ cases, goal, measured, holds })
  }

  const case1 = row(1, 'hookflow-history-all')
  check('1', '≥ 0.50 × B1 req/s, history all (the run record included)', [case1], () =>
    [`${fixed(case1!.ratioToB1)} × B1`, case1!.ratioToB1! >= 0.5])
  check('1', 'p99 ≤ 15 ms, history all', [case1], () => [`${ms(case1!.median.p99Ms)} ms`, case1!.median.p99Ms <= 15])

  const case2 = row(2, 'hookflow')
  check('2', '≥ 0.30 × B1 req/s', [case2], () => [`${fixed(case2!.ratioToB1)} × B1`, case2!.ratioToB1! >= 0.3])

  const case3 = row(3, 'hookflow')
  check('3', 'async intake ≥ 1.0 × B2 req/s', [case3], () => [`${fixed(case3!.ratioToB2)} × B2`, case3!.ratioToB2! >= 1])
  check('3', 'the queue drains at ≥ the intake rate', [case3], () => {
    const drain = case3!.drain!
    if (drain.drainPerSec === null) return [`kept up with ${Math.round(drain.intakePerSec)} runs/s (no backlog)`, true]
    return [`drain ${Math.round(drain.drainPerSec)} runs/s vs intake ${Math.round(drain.intakePerSec)} runs/s ` +
      `(${fixed(drain.drainPerSec / drain.intakePerSec)} ×; backlog ${Math.round(drain.backlog)} in ${drain.drainSec.toFixed(1)} s)`,
    drain.drainedEveryRound && drain.drainPerSec >= drain.intakePerSec]
  })
  const case3Big = row(3, 'hookflow-1m')
  check('3, 7', 'intake with 1M runs within 10 % of an empty catalog', [case3, case3Big], () => {
    const ratio = case3Big!.median.reqPerSec / case3!.median.reqPerSec
    return [`${Math.round(case3Big!.median.reqPerSec)} vs ${Math.round(case3!.median.reqPerSec)} req/s (${fixed(ratio)} ×)`, ratio >= 0.9]
  })

  const calm = row(6, 'hookflow-undisturbed')
  const spinning = row(6, 'hookflow-spinning')
  check('6', 'script spinning: case 1 p99 ≤ 20 ms', [spinning], () => [`${ms(spinning!.median.p99Ms)} ms`, spinning!.median.p99Ms <= 20])
  check('6', 'script spinning: case 1 ≥ 0.4 × its undisturbed req/s', [calm, spinning], () => {
    const ratio = spinning!.median.reqPerSec / calm!.median.reqPerSec
    return [`${Math.round(spinning!.median.reqPerSec)} vs ${Math.round(calm!.median.reqPerSec)} req/s (${fixed(ratio)} ×)`, ratio >= 0.4]
  })

  for (const [rowId, what] of [['first-page', 'first page, 50 connections'], ['deep-page', 'deep page, 50 connections'],
    ['first-page-1-connection', 'first page, 1 connection']] as const) {
    const page = row(7, rowId)
    check('7', `< 20 ms per page (p99, ${what})`, [page], () => [`p50 ${ms(page!.median.p50Ms)} ms, p99 ${ms(page!.median.p99Ms)} ms`, page!.median.p99Ms < 20])
  }

  // The goal is one instance's memory: a group's RSS (case 8) is the sum of several, so it is left out.
  const hookflowRows = results.flatMap((result) => result.rows
    .filter((summary) => summary.target.startsWith('hookflow') && summary.instances === 1)
    .map((summary) => ({ caseId: result.id, summary })))
  if (hookflowRows.length === 0) {
    checks.push({ cases: 'all', goal: 'RSS under load ≤ 200 MB', measured: 'not run', holds: null })
  } else {
    const worst = hookflowRows.reduce((a, b) => b.summary.median.peakRssMb > a.summary.median.peakRssMb ? b : a)
    checks.push({
      cases: results.map((result) => result.id).join(', '),
      goal: 'RSS under load ≤ 200 MB (server + evaluation hosts, every hookflow row)',
      measured: `highest ${worst.summary.median.peakRssMb.toFixed(1)} MB (case ${worst.caseId}, ${worst.summary.label})`,
      holds: worst.summary.median.peakRssMb <= 200
    })
    // The same, with the pages the processes share (the Node binary) counted once: their footprint.
    const worstPss = hookflowRows.reduce((a, b) => b.summary.median.peakPssMb > a.summary.median.peakPssMb ? b : a)
    checks.push({
      cases: results.map((result) => result.id).join(', '),
      goal: 'for reading the RSS target: the same rows as PSS (shared pages counted once; not judged)',
      measured: `highest ${worstPss.summary.median.peakPssMb.toFixed(1)} MB (case ${worstPss.caseId}, ${worstPss.summary.label})`,
      holds: null
    })
  }
  return checks
}

export function formatGoals (checks: GoalCheck[]): string {
  const lines = ['### Targets', '', '| case | target | measured | holds |', '| --- | --- | --- | --- |']
  for (const check of checks) {
    lines.push(`| ${check.cases} | ${check.goal} | ${check.measured} | ${check.holds === null ? '–' : check.holds ? 'yes' : '**no**'} |`)
  }
  const judged = checks.filter((check) => check.holds !== null)
  lines.push('', `${judged.filter((check) => check.holds === true).length} of ${judged.length} targets hold in this run.`)
  return lines.join('\n')
}
