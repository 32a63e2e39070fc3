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

/** Work the main thread performs for a step: waiting costs no evaluation host. */
export type IoRequest =
  | { kind: 'delay', ms: number }
  | { kind: 'emit', scenario: string, input: unknown }
  | { kind: 'http', request: HttpRequest }
  | { kind: 'record', request: RecordRequest }

/** A collection action from a scenario (the `record` step). */
export interface RecordRequest {
  collection: string
  action: 'create' | 'update' | 'get' | 'list' | 'destroy'
  values?: unknown
  filterByTk?: unknown
  filter?: Record<string, unknown>
  page?: number
  pageSize?: number
  sort?: string
  /** Run the collection's global workflows for this write (off by default: no accidental loops). */
  triggerWorkflows: boolean
}

export interface HttpRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: unknown
  timeoutMs: number
}

export type IoResult =
  | { ok: true, value?: unknown }
  | { ok: false, error: string }

/** A position in a step list; frames stack up as the run enters `if`, `switch`, `each` bodies. */
export interface Frame {
  list: number
  next: number
  /** The compound step whose body this list is. */
  owner?: number
  /** Set for an `each` body: the items and where the loop stands. */
  loop?: { items: unknown[], index: number, as: string }
}

/**
 * Everything needed to continue a run, as plain data: it crosses thread boundaries between
 * segments, so no closures or class instances live here.
 */
export interface RunState {
  vars: Vars
  frames: Frame[]
  log: StepLogEntry[]
  /** The step waiting on main-thread I/O (or on a retry's backoff), if any. */
  pending?: PendingStep
  /** Attempt number of steps being retried, by step id. */
  attempts?: Record<number, number>
  /** Step log entries not kept because the log reached its cap. */
  logDropped?: number
}

export interface PendingStep {
  step: number
  startedAt: number
  kind: string
  path: string
  name?: string
  attempt?: number
  /** `backoff`: waiting before a retry, nothing to resume. */
  purpose: 'io' | 'backoff'
}

export interface RunError {
  message: string
  /** Path of the step that failed, when a step failed. */
  step?: string
  /** What a `fail` step asked the sync caller to get instead of the default 500. */
  reply?: { status?: number, body?: unknown }
  /** Set when a `fail` step ended the run on purpose: such a run is never retried. */
  deliberate?: true
}

/** How a step reacts when it (or a step inside it) fails. */
export type OnError = 'fail' | 'continue' | { set: Array<[string, Template]> }

export interface RetryPolicy {
  /** Every try, the first included. */
  attempts: number
  backoffMs: number
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
  onError?: OnError
  retry?: RetryPolicy
  config: C
}

export interface CompiledScenario {
  name: string
  timeoutMs?: number
  steps: CompiledStep[]
  /** Step lists by id; list 0 is the scenario's top level. */
  lists: number[][]
}
