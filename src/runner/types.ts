import type { Template } from './templates.js'

/** The variables a scenario reads and writes; `$status`, `$headers`, `$body` are its reply. */
export type Vars = Record<string, unknown>

export interface StepLogEntry {
  kind: string
  name?: string
  /** Where the step sits in the scenario, e.g. `steps[2].then[0]`. */
  path: string
  startedAt: number
  durationMs: number
  status: 'ok' | 'skipped' | 'failed' | 'timed_out'
  error?: string
  attempt?: number
  /** A truncated JSON view of what the step produced. */
  output?: string
}

/** Work the main thread performs for a step: waiting costs no worker. */
export type IoRequest =
  | { kind: 'delay', ms: number }

export type IoResult =
  | { ok: true, value?: unknown }
  | { ok: false, error: string }

/** A position in a step list; frames stack up as the run enters `if`/`else` bodies. */
export interface Frame {
  list: number
  next: number
}

/**
 * Everything needed to continue a run, as plain data: it crosses thread boundaries between
 * segments, so no closures or class instances live here.
 */
export interface RunState {
  vars: Vars
  frames: Frame[]
  log: StepLogEntry[]
  /** The step waiting on main-thread I/O, if any. */
  pending?: { step: number, startedAt: number, kind: string, path: string, name?: string }
}

export interface RunError {
  message: string
  /** Path of the step that failed, when a step failed. */
  step?: string
}

/** How far one segment got: to the end, to an I/O wait, or to a stop. */
export type SegmentResult =
  | { type: 'done', state: RunState }
  | { type: 'io', state: RunState, io: IoRequest }
  | { type: 'failed', state: RunState, error: RunError }
  | { type: 'timed_out', state: RunState }

export interface CompiledStep<C = unknown> {
  id: number
  kind: string
  name?: string
  path: string
  when?: Template
  config: C
}

export interface CompiledScenario {
  name: string
  timeoutMs?: number
  steps: CompiledStep[]
  /** Step lists by id; list 0 is the scenario's top level. */
  lists: number[][]
}
