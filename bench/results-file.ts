import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BenchOptions } from './args.js'
import type { MachineInfo } from './machine.js'
import { paths } from './paths.js'
import type { TargetSummary } from './summary.js'

export interface BenchResults {
  finishedAt: string
  machine: MachineInfo
  options: BenchOptions
  cases: Array<{ name: string, title: string, targets: TargetSummary[] }>
}

/** bench/results/ is gitignored: the figures worth keeping are copied into docs/performance.md by hand. */
export async function writeResults (results: BenchResults): Promise<string> {
  await mkdir(paths.results, { recursive: true })
  const file = join(paths.results, 'latest.json')
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
  return file
}
