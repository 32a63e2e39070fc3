import { writeFile } from 'node:fs/promises'
import type { BenchOptions } from './args.js'
import type { GoalCheck } from './goals.js'
import type { MachineInfo } from './machine.js'
import type { CaseResult } from './run-case.js'

export interface BenchResults {
  startedAt: string
  finishedAt: string
  /** `git describe`-like: the commit measured, and whether the tree had uncommitted changes. */
  commit: string
  machine: MachineInfo
  options: BenchOptions
  cases: CaseResult[]
  /** Cases asked for that could not run here (case 8 without PostgreSQL), with the reason. */
  skipped: SkippedCase[]
  targets: GoalCheck[]
}

export interface SkippedCase { id: number, name: string, why: string }

/** bench/results.json is gitignored (bench/.gitignore): figures are per machine; the ones worth keeping go into docs/performance.md. */
export async function writeResults (file: string, results: unknown): Promise<string> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
  return file
}
