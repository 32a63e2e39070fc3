import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBenchArgs } from './args.js'
import { CaseSkipped } from './case-skipped.js'
import { buildCatalog } from './catalog-1m.js'
import { cases } from './cases/index.js'
import { describeCommit } from './commit.js'
import { machineTicks } from './cpu-ticks.js'
import { checkGoals, formatGoals } from './goals.js'
import { describeMachine } from './machine.js'
import type { LoadOptions } from './measure.js'
import { paths } from './paths.js'
import { writeResults, type BenchResults, type SkippedCase } from './results-file.js'
import { runCase, stopRunningServers, type CaseResult } from './run-case.js'
import { hasFailures } from './summary.js'

/** Cores' worth of CPU used by everything on the machine over `ms`, before the bench starts anything. */
async function machineBusyCores (ms: number): Promise<number> {
  const before = await machineTicks()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = await machineTicks()
  const total = after.total - before.total
  return total <= 0 ? 0 : ((after.busy - before.busy) / total) * availableParallelism()
}

/**
 * `npm run bench`: the cases of the spec in order, each against its own freshly started servers
 * (hookflow from bench/config.json, the baselines B1 and B2, and for case 8 a PostgreSQL cluster),
 * in interleaved rounds; a case that cannot run here (no PostgreSQL) is skipped with the reason. Prints
 * a Markdown table per case and the spec's targets, and writes bench/results.json.
 */
async function main (): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2), cases.map((benchCase) => benchCase.id))
  const load: LoadOptions = { connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec }
  const machine = describeMachine()
  const commit = describeCommit()
  const startedAt = new Date().toISOString()
  const log = (line: string): void => { process.stdout.write(`${line}\n`) }
  log(`hookflow bench: cases ${options.cases.join(',')}; ${options.rounds} round(s) × ${options.durationSec} s after ` +
    `${options.warmupSec} s warm-up, ${options.connections} connections; ${machine.cores} cores (${machine.cpu}), ` +
    `Node ${machine.node}; commit ${commit}`)

  const busy = await machineBusyCores(2000)
  log(`machine before start: ${busy.toFixed(2)} cores busy over 2 s (the bench has started nothing yet; 0 on a quiet machine)`)

  const workDir = await mkdtemp(join(tmpdir(), 'hookflow-bench-'))
  // Ctrl-C must not leave servers (and their evaluation hosts) running.
  process.once('SIGINT', () => {
    stopRunningServers().finally(() => {
      rm(workDir, { recursive: true, force: true }).finally(() => process.exit(130))
    })
  })
  let catalog: Promise<string> | undefined
  const catalog1m = async (): Promise<string> => await (catalog ??= buildCatalog(workDir, log))

  try {
    const results: CaseResult[] = []
    const skipped: SkippedCase[] = []
    for (const benchCase of cases.filter((c) => options.cases.includes(c.id))) {
      log(`\n${benchCase.title}`)
      try {
        results.push(await runCase(benchCase, load, options.rounds, { catalog1m }, workDir, log))
      } catch (err) {
        if (!(err instanceof CaseSkipped)) throw err
        skipped.push({ id: benchCase.id, name: benchCase.name, why: err.message })
        log(`SKIPPED case ${benchCase.id} (${benchCase.name}): ${err.message}\n`)
      }
    }
    const targets = checkGoals(results)
    log(`${formatGoals(targets)}\n`)
    const report: BenchResults = { startedAt, finishedAt: new Date().toISOString(), commit, machine, options, cases: results, skipped, targets }
    log(`results written to ${await writeResults(paths.results, report)}`)
    const failed = results.flatMap((result) => result.rows).filter(hasFailures)
    if (failed.length > 0) log(`\n${failed.length} row(s) had failed requests (non-2xx, errors or timeouts): see the WARNING lines above.`)
    for (const { id, name } of skipped) log(`case ${id} (${name}) was skipped: see the SKIPPED line above.`)
    return failed.length > 0 ? 1 : 0
  } finally {
    await stopRunningServers()
    await rm(workDir, { recursive: true, force: true })
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`)
  stopRunningServers().finally(() => process.exit(1))
})
