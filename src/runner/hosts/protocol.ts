import type { CompileOptions, ScenarioSource } from '../compile-scenario.js'
import type { SegmentOptions } from '../interpreter.js'
import type { EvaluationLimits } from '../templates.js'
import type { RunState, SegmentResult } from '../types.js'

/** Messages between the server and its evaluation hosts (child processes), as JSON over IPC. */

export interface HostSetup {
  scenarios: Record<string, ScenarioSource>
  compile: CompileOptions
  limits: EvaluationLimits
}

export interface SegmentTask {
  scenario: string
  state: RunState
  options: SegmentOptions
}

export type ToHost =
  | { type: 'setup', setup: HostSetup }
  | { type: 'task', id: number, task: SegmentTask }

export type FromHost =
  | { type: 'ready' }
  | { type: 'setup-failed', error: string }
  | { type: 'result', id: number, result: SegmentResult }
  | { type: 'error', id: number, error: string }
