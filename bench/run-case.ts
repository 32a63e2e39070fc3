import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BenchCase } from './cases/bench-case.js'
import { measureRound, type LoadOptions, type RoundFigures } from './measure.js'
import { formatCaseTable, formatRoundLine } from './report.js'
import { instancesOf, targetPids } from './server-group.js'
import type { RunningServer } from './server-process.js'
import { summarize, type RowSummary } from './summary.js'
import type { StartContext, Target } from './targets.js'

export interface CaseResult {
  id: number
  name: string
  title: string
  about: string
  ratioTo: BenchCase['ratioTo']
  rows: RowSummary[]
}

/** Every server a case has started and not yet stopped: Ctrl-C must not leave any running. */
const running = new Set<RunningServer>()

export async function stopRunningServers (): Promise<void> {
  await Promise.all([...running].map(async (server) => await server.stop()))
  running.clear()
}

/**
 * One case: starts the targets its rows name (each once, on empty databases in a folder of its
 * own), checks every row's reply (on every instance of a group), then runs rounds in which each row takes its turn in the same
 * order, so drift on the machine (thermal, other tenants) spreads over all rows instead of landing
 * on whichever ran last. The servers are stopped at the end, so cases do not share state.
 */
export async function runCase (
  benchCase: BenchCase, load: LoadOptions, rounds: number, context: Omit<StartContext, 'workDir'>, workDir: string,
  log: (line: string) => void
): Promise<CaseResult> {
  const caseDir = join(workDir, `case-${benchCase.id}`)
  await mkdir(caseDir, { recursive: true })
  const servers = new Map<string, RunningServer>()
  try {
    const targets = new Map<string, Target>(benchCase.rows.map((row) => [row.target.name, row.target]))
    for (const target of targets.values()) {
      const server = await target.start({ ...context, workDir: caseDir })
      servers.set(target.name, server)
      running.add(server)
      const where = instancesOf(server).map((instance) => `${instance.url} (pid ${instance.pid})`).join(', ')
      log(`  started ${target.label} at ${where}`)
    }
    for (const row of benchCase.rows) {
      try {
        for (const instance of instancesOf(servers.get(row.target.name)!)) await row.load.verify(instance.url)
      } catch (err) {
        throw new Error(`${row.label} (case ${benchCase.id}) failed its check before measuring: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    // A set: two targets on one database server list its processes twice, and `ours` must count them once.
    const ourPids = async (): Promise<number[]> =>
      [...new Set([process.pid, ...(await Promise.all([...servers.values()].map(targetPids))).flat()])]

    const roundsByRow = new Map<string, RoundFigures[]>(benchCase.rows.map((row) => [row.id, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const row of benchCase.rows) {
        const figures = await measureRound(row, servers.get(row.target.name)!, load, benchCase.drains, ourPids)
        roundsByRow.get(row.id)!.push(figures)
        log(formatRoundLine(round, row.label, figures))
      }
    }
    const instances = new Map([...servers].map(([name, server]) => [name, instancesOf(server).length]))
    const summaries = summarize(benchCase.rows, roundsByRow, load.connections, instances)
    log(`\n${formatCaseTable(benchCase, load, rounds, summaries)}\n`)
    return { id: benchCase.id, name: benchCase.name, title: benchCase.title, about: benchCase.about, ratioTo: benchCase.ratioTo, rows: summaries }
  } finally {
    for (const server of servers.values()) {
      await server.stop()
      running.delete(server)
    }
    await rm(caseDir, { recursive: true, force: true })
  }
}
