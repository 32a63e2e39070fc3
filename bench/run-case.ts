import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { makeBenchPostgres, type BenchPostgres } from './bench-postgres.js'
import type { BenchCase } from './cases/bench-case.js'
import { measureRound, type LoadOptions, type RoundFigures } from './measure.js'
import { formatCaseTable, formatRoundLine } from './report.js'
import { instancesOf, targetPids } from './server-group.js'
import type { RunningServer } from './server-process.js'
import { summarize, type RowSummary } from './summary.js'
import type { StartContext, Target } from './targets.js'
import { waitUntilIdle } from './settle.js'
import { roundOrder } from './round-order.js'

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
/** The case's PostgreSQL cluster: it outlives the bench unless stopped. */
const databases = new Set<BenchPostgres>()

/** The servers first: an instance that loses its database while stopping only takes longer. */
export async function stopRunningServers (): Promise<void> {
  await Promise.all([...running].map(async (server) => await server.stop()))
  running.clear()
  await Promise.all([...databases].map(async (database) => await database.stop()))
  databases.clear()
}

/**
 * One case: starts the targets its rows name (each once, on empty databases in a folder of its
 * own, or in a PostgreSQL cluster of its own), checks every row's reply (on every instance of a
 * group), then runs rounds in which each row takes its turn (roundOrder), so drift on the machine
 * (thermal, other tenants) spreads over all rows instead of landing on whichever ran last.
 * The servers and the cluster are stopped at the end, so cases do not share state. A target whose
 * database cannot be had throws CaseSkipped, after this cleanup.
 */
export async function runCase (
  benchCase: BenchCase, load: LoadOptions, rounds: number, context: Omit<StartContext, 'workDir' | 'postgresDatabase'>,
  workDir: string, log: (line: string) => void
): Promise<CaseResult> {
  const caseDir = join(workDir, `case-${benchCase.id}`)
  await mkdir(caseDir, { recursive: true })
  const servers = new Map<string, RunningServer>()
  const postgres = makeBenchPostgres(log)
  databases.add(postgres)
  try {
    const targets = new Map<string, Target>(benchCase.rows.map((row) => [row.target.name, row.target]))
    for (const target of targets.values()) {
      const server = await target.start({ ...context, workDir: caseDir, postgresDatabase: postgres.freshDatabase })
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
      for (const row of roundOrder(benchCase.rows, round)) {
        if (benchCase.settles === true) {
          const settled = await waitUntilIdle(async () => (await ourPids()).filter((pid) => pid !== process.pid))
          if (!settled.idle) log(`  the servers were still busy after ${(settled.waitedMs / 1000).toFixed(0)} s; measuring ${row.label} anyway`)
          else if (settled.waitedMs > 1000) log(`  waited ${(settled.waitedMs / 1000).toFixed(1)} s for the servers to go idle`)
        }
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
    await postgres.stop()
    databases.delete(postgres)
    await rm(caseDir, { recursive: true, force: true })
  }
}
