import { workerData } from 'node:worker_threads'
import { compileScenarios, type ScenarioSource } from '../compile-scenario.js'
import { runSegment, type SegmentOptions } from '../interpreter.js'
import type { RunState, SegmentResult } from '../types.js'

export interface SegmentWorkerData {
  scenarios: Record<string, ScenarioSource>
  maxNestingDepth: number
}

export interface SegmentTask {
  scenario: string
  state: RunState
  options: SegmentOptions
}

const data = workerData as SegmentWorkerData
// Each worker compiles the scenarios once; compiled expressions cannot cross threads.
const scenarios = compileScenarios(data.scenarios, { maxNestingDepth: data.maxNestingDepth })

/** One evaluation segment of one run, inside a worker thread the pool may terminate. */
export default async function runSegmentTask (task: SegmentTask): Promise<SegmentResult> {
  const scenario = scenarios.get(task.scenario)
  if (scenario === undefined) throw new Error(`unknown scenario "${task.scenario}"`)
  return await runSegment(scenario, task.state, task.options)
}
