import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBenchArgs } from './args.js'
import { cases } from './cases/index.js'
import { describeMachine } from './machine.js'
import { measureRound, type LoadOptions, type RoundFigures } from './measure.js'
import { formatCaseTable, formatRoundLine } from './report.js'
import { writeResults, type BenchResults } from './results-file.js'
import { treePids } from './process-tree.js'
import type { RunningServer } from './server-process.js'
import { hasFailures, summarize } from './summary.js'
import { targets } from './targets.js'
import { verifyReply } from './verify.js'

/**
 * `npm run bench`: starts every target once, then runs rounds in which each target takes its
 * turn in the same order, so drift on the machine (thermal, other tenants) spreads over all of
 * them instead of landing on whichever ran last.
 */
async function main (): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2))
  const load: LoadOptions = { connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec }
  const machine = describeMachine()
  const log = (line: string): void => { process.stdout.write(`${line}\n`) }
  log(`hookflow bench: ${options.rounds} round(s) × ${options.durationSec} s, ${options.connections} connections; ` +
    `${machine.cores} cores (${machine.cpu}), Node ${machine.node}`)

  const workDir = await mkdtemp(join(tmpdir(), 'hookflow-bench-'))
  const servers = new Map<string, RunningServer>()
  const stopAll = async (): Promise<void> => {
    await Promise.all([...servers.values()].map(async (server) => await server.stop()))
    servers.clear()
  }
  const ourPids = async (): Promise<number[]> =>
    [process.pid, ...(await Promise.all([...servers.values()].map(async (server) => await treePids(server.pid)))).flat()]
  // Ctrl-C must not leave servers (and their evaluation hosts) running.
  process.once('SIGINT', () => { stopAll().finally(() => process.exit(130)) })

  try {
    for (const target of targets) {
      const server = await target.start(workDir)
      servers.set(target.name, server)
      log(`started ${target.label} at ${server.url} (pid ${server.pid})`)
    }
    for (const benchCase of cases) {
      for (const target of targets) await verifyReply(target, servers.get(target.name)!, benchCase)
    }

    const results: BenchResults = { finishedAt: '', machine, options, cases: [] }
    let failed = false
    for (const benchCase of cases) {
      log(`\n${benchCase.title}`)
      const roundsByTarget = new Map<string, RoundFigures[]>(targets.map((target) => [target.name, []]))
      for (let round = 1; round <= options.rounds; round++) {
        for (const target of targets) {
          const figures = await measureRound(servers.get(target.name)!, benchCase, load, ourPids)
          roundsByTarget.get(target.name)!.push(figures)
          log(formatRoundLine(round, target.label, figures))
        }
      }
      const summaries = summarize(targets, roundsByTarget)
      failed ||= summaries.some(hasFailures)
      log(`\n${formatCaseTable(benchCase.title, load, options.rounds, summaries)}`)
      results.cases.push({ name: benchCase.name, title: benchCase.title, targets: summaries })
    }
    results.finishedAt = new Date().toISOString()
    log(`\nresults written to ${await writeResults(results)}`)
    return failed ? 1 : 0
  } finally {
    await stopAll()
    await rm(workDir, { recursive: true, force: true })
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
