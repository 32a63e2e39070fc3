import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBenchArgs } from './args.js'
import type { BenchCase, CaseRow } from './cases/bench-case.js'
import { b1Load, echoLoad, echoRequest } from './cases/sync-set-body.js'
import { describeCommit } from './commit.js'
import { httpLoad } from './load-http.js'
import { describeMachine } from './machine.js'
import type { LoadOptions } from './measure.js'
import { paths } from './paths.js'
import { installNodeRed, NODE_RED_SPEC, startNodeRed } from './peers/node-red.js'
import { installWebhook, startWebhook } from './peers/webhook.js'
import { writeResults } from './results-file.js'
import { runCase, stopRunningServers } from './run-case.js'
import { b1, hookflow, type Target } from './targets.js'

/** hookflow's req/s over each peer's, same run: the goals of the spec. */
const GOALS = { 'node-red': 5, webhook: 15 } as const

/**
 * `npm run bench:peers` (by hand, never in CI): case 1 against Node-RED and adnanh/webhook in the
 * same run as hookflow and B1, interleaved like `npm run bench`. Node-RED is installed with npm
 * into a temporary folder, webhook with apt-get when it is missing; a peer that cannot be
 * installed is skipped with the reason.
 */
async function main (): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2), [1])
  const load: LoadOptions = { connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec }
  const log = (line: string): void => { process.stdout.write(`${line}\n`) }
  const machine = describeMachine()
  const commit = describeCommit()
  log(`hookflow bench:peers: case 1; ${options.rounds} round(s) × ${options.durationSec} s after ${options.warmupSec} s warm-up, ` +
    `${options.connections} connections; ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; commit ${commit}`)

  const workDir = await mkdtemp(join(tmpdir(), 'hookflow-peers-'))
  process.once('SIGINT', () => {
    stopRunningServers().finally(() => { rm(workDir, { recursive: true, force: true }).finally(() => process.exit(130)) })
  })
  try {
    const rows: CaseRow[] = [
      { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
      { id: 'hookflow', label: 'hookflow, history all', target: hookflow, load: echoLoad }
    ]
    const skipped: Record<string, string> = {}

    log(`installing ${NODE_RED_SPEC} into ${join(workDir, 'node-red')} …`)
    const nodeRedFolder = join(workDir, 'node-red')
    const nodeRed = await installNodeRed(nodeRedFolder)
    if (nodeRed.ok) {
      const target: Target = { name: 'node-red', label: 'Node-RED', start: async () => await startNodeRed(nodeRedFolder) }
      rows.push({
        id: 'node-red',
        label: 'Node-RED 4, http in → function → http response',
        target,
        load: httpLoad({ ...echoRequest, path: '/echo' }, { status: 200, body: { ok: true, got: JSON.parse(echoRequest.body!) } })
      })
    } else {
      skipped['node-red'] = nodeRed.why
      log(`SKIPPED Node-RED: ${nodeRed.why}`)
    }

    const webhook = await installWebhook()
    if (webhook.ok) {
      log(`webhook: ${webhook.detail}`)
      const target: Target = { name: 'webhook', label: 'webhook', start: async () => await startWebhook(join(workDir, 'webhook'), 'webhook') }
      rows.push({
        id: 'webhook',
        label: 'adnanh/webhook, /bin/true + static reply',
        target,
        load: httpLoad({ ...echoRequest, path: '/hooks/echo' }, { status: 200 })
      })
    } else {
      skipped.webhook = webhook.why
      log(`SKIPPED webhook: ${webhook.why}`)
    }

    const peersCase: BenchCase = {
      id: 1,
      name: 'peers-case-1',
      title: 'Peers: case 1 against Node-RED and adnanh/webhook',
      about: 'Case 1\'s JSON POST, answered by hookflow (`echo`, history all, default config), by a Node-RED flow and by ' +
        'a webhook hook, each its own process on loopback, in interleaved rounds.',
      ratioTo: 'b1',
      drains: false,
      settles: true,
      rows
    }
    const result = await runCase(peersCase, load, options.rounds, { catalog1m: async () => { throw new Error('no catalog in bench:peers') } }, workDir, log)

    const hookflowRps = result.rows.find((row) => row.row === 'hookflow')!.median.reqPerSec
    const peers: Record<string, { reqPerSec: number, hookflowRatio: number, goal: number, holds: boolean } | { skipped: string }> = {}
    for (const [peer, goal] of Object.entries(GOALS)) {
      const row = result.rows.find((summary) => summary.row === peer)
      if (row === undefined) {
        peers[peer] = { skipped: skipped[peer] ?? 'not run' }
        log(`${peer}: skipped (${skipped[peer] ?? 'not run'})`)
        continue
      }
      const hookflowRatio = hookflowRps / row.median.reqPerSec
      peers[peer] = { reqPerSec: row.median.reqPerSec, hookflowRatio, goal, holds: hookflowRatio >= goal }
      log(`hookflow is ${hookflowRatio.toFixed(2)} × ${row.label} (${Math.round(hookflowRps)} vs ${Math.round(row.median.reqPerSec)} req/s); ` +
        `goal ≥ ${goal} ×: ${hookflowRatio >= goal ? 'holds' : 'does not hold'}`)
    }
    log(`results written to ${await writeResults(paths.peerResults, { finishedAt: new Date().toISOString(), commit, machine, options, case: result, peers })}`)
    return result.rows.some((row) => row.failures.non2xx + row.failures.errors + row.failures.timeouts > 0) ? 1 : 0
  } finally {
    await stopRunningServers()
    await rm(workDir, { recursive: true, force: true })
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`bench:peers failed: ${err instanceof Error ? err.message : String(err)}\n`)
  stopRunningServers().finally(() => process.exit(1))
})
