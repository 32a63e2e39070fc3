import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { buildCatalog } from './catalog-1m.js'
import { cases } from './cases/index.js'
import type { CaseRow } from './cases/bench-case.js'
import { callTree, flameGraphSvg, heapAsCpuProfile, hotSpots, type CpuProfile, type Frame, type HeapProfile, type HotSpot } from './flame-graph.js'
import { startHookflow } from './hookflow-server.js'
import { paths } from './paths.js'

const USAGE = 'usage: npm run bench:profile -- [--case N] [--row ROW_ID] [--seconds S] [--connections C] [--alloc]'

/** The hookflow targets a profile can start (case 8's PostgreSQL groups are left out: several processes). */
const PROFILED = new Set(['hookflow', 'hookflow-main-thread', 'hookflow-1m'])

function pickRow (caseId: number, rowId: string | undefined): { name: string, row: CaseRow } {
  const benchCase = cases.find((candidate) => candidate.id === caseId)
  if (benchCase === undefined) throw new Error(`no case ${caseId}; cases are ${cases.map((c) => c.id).join(', ')}\n${USAGE}`)
  const profiled = benchCase.rows.filter((row) => PROFILED.has(row.target.name))
  const row = rowId === undefined ? profiled[0] : profiled.find((candidate) => candidate.id === rowId)
  if (row === undefined) throw new Error(`case ${caseId} has no hookflow row "${rowId}"; its rows: ${profiled.map((r) => r.id).join(', ') || 'none'}\n${USAGE}`)
  return { name: benchCase.name, row }
}

const formatSpots = (spots: HotSpot[]): string =>
  spots.map((spot) => `${(spot.share * 100).toFixed(1).padStart(5)} %  ${spot.origin.padEnd(10)} ${spot.name}`).join('\n')

async function waitForFile (dir: string, suffix: string, ms: number): Promise<string | undefined> {
  for (let waited = 0; waited < ms; waited += 100) {
    const found = (await readdir(dir)).find((entry) => entry.endsWith(suffix))
    if (found !== undefined) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return undefined
}

/** The flame graph and hot-spot list of one profile, written beside it; the top 15 printed. */
async function report (base: string, tree: Frame, title: string, amount: string, rootLabel?: string): Promise<void> {
  const spots = hotSpots(tree, 30)
  await writeFile(`${base}.svg`, flameGraphSvg(tree, title, rootLabel))
  await writeFile(`${base}.txt`, `${title}\n${amount}\n\nself\n${formatSpots(spots.self)}\n\ninclusive\n${formatSpots(spots.inclusive)}\n`)
  process.stdout.write(`\n${base}: ${amount} → ${base}.svg, ${base}.txt\n${formatSpots(spots.self.slice(0, 15))}\n`)
}

/**
 * `npm run bench:profile`: one hookflow row of a bench case under its load, with `node --cpu-prof`,
 * then a flame graph (SVG) and the hot spots by self and by inclusive time of every thread's
 * profile, in bench/profiles/ (git-ignored). With `--alloc`, the server's thread's allocations
 * over the measured part instead (allocation-sampler.ts): bytes, not time. What the findings of
 * docs/performance.md were read from.
 */
async function main (): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { case: { type: 'string' }, row: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, alloc: { type: 'boolean' } }
  })
  const alloc = values.alloc === true
  const caseId = Number(values.case ?? 1)
  const seconds = Number(values.seconds ?? 8)
  const connections = Number(values.connections ?? 50)
  if (![caseId, seconds, connections].every((n) => Number.isInteger(n) && n > 0)) throw new Error(USAGE)
  const { name, row } = pickRow(caseId, values.row)

  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const outDir = join(paths.root, 'bench', 'profiles', `${name}-${row.id}-${stamp}`)
  await mkdir(outDir, { recursive: true })
  const workDir = await mkdtemp(join(tmpdir(), 'hookflow-profile-'))
  let operations = 0
  try {
    const database = { sqlite: row.target.name === 'hookflow-1m' ? await buildCatalog(workDir, (line) => process.stdout.write(`${line}\n`)) : join(workDir, 'hookflow.db') }
    const evaluateOn = row.target.name === 'hookflow-main-thread' ? 'main-thread' : 'hosts'
    const sampler = `${pathToFileURL(join(paths.root, 'dist', 'bench', 'allocation-sampler.js')).href}?dir=${encodeURIComponent(outDir)}`
    const nodeArgs = alloc ? ['--import', sampler] : ['--cpu-prof', `--cpu-prof-dir=${outDir}`]
    const server = await startHookflow(`hookflow (${row.id}, profiled)`, evaluateOn, workDir, database, nodeArgs)
    try {
      await row.load.verify(server.url)
      await row.load.run([server.url], connections, 2)
      if (alloc) process.kill(server.pid, 'SIGUSR2')
      const result = await row.load.run([server.url], connections, seconds)
      if (alloc) process.kill(server.pid, 'SIGUSR2')
      operations = result.perSec * seconds
      process.stdout.write(`${row.label}: ${result.perSec.toFixed(0)} ${row.load.unit}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms under the profiler (it costs throughput)\n`)
      if (alloc && await waitForFile(outDir, '.heapprofile', 10_000) === undefined) throw new Error('the server wrote no allocation profile')
    } finally {
      // The profile is written when the process exits.
      await server.stop()
    }
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }

  for (const file of (await readdir(outDir)).filter((entry) => entry.endsWith('.heapprofile'))) {
    const tree = callTree(heapAsCpuProfile(JSON.parse(await readFile(join(outDir, file), 'utf8')) as HeapProfile))
    const perOperation = (tree.total / Math.max(1, operations) / 1024).toFixed(1)
    const amount = `sampled ${(tree.total / 1024 / 1024).toFixed(0)} MB allocated, ~${perOperation} kB per ${row.load.unit}`
    const title = `${row.label} (case ${caseId}): allocations on the server's thread, ${connections} connections, ${seconds} s`
    await report(join(outDir, file.replace(/\.heapprofile$/, '')), tree, title, amount, `all (${perOperation} kB per ${row.load.unit})`)
  }
  for (const file of (await readdir(outDir)).filter((entry) => entry.endsWith('.cpuprofile')).sort()) {
    const tree = callTree(JSON.parse(await readFile(join(outDir, file), 'utf8')) as CpuProfile)
    if (tree.total < 1000) continue
    const title = `${row.label} (case ${caseId}): ${file}, ${connections} connections, ${seconds} s; busy time only`
    await report(join(outDir, file.replace(/\.cpuprofile$/, '')), tree, title, `busy ${(tree.total / 1000).toFixed(0)} ms`)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
