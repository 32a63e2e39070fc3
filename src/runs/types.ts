import type { RunError, StepLogEntry, Vars } from '../runner/types.js'

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'dead', 'cancelled'] as const
export type RunStatus = typeof RUN_STATUSES[number]
export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'timed_out', 'dead', 'cancelled'])

/** A run as the catalog keeps it. Times are epoch milliseconds. */
export interface Run {
  id: number
  kind: string
  endpoint: string | null
  scenario: string
  status: RunStatus
  async: boolean
  attempt: number
  timeoutMs: number
  parentRunId: number | null
  /** How many emits led to this run. */
  depth: number
  /** The run this one replays, if it is a replay. */
  replayOf: number | null
  input: Vars
  output: Vars | null
  error: RunError | null
  steps: StepLogEntry[]
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
}

export type NewRun = Pick<Run, 'id' | 'kind' | 'endpoint' | 'scenario' | 'status' | 'async' | 'timeoutMs' | 'input' | 'createdAt'> &
  Partial<Pick<Run, 'attempt' | 'parentRunId' | 'depth' | 'startedAt' | 'replayOf'>> & {
    statusKeyHash?: string
    /** Retry policy the run carries with it, so a restarted process applies the same one. */
    retry?: RetryPolicy
    /** Set for a run inserted as `running` (it is executing right now, in this process). */
    leaseUntil?: number
  }

export interface RetryPolicy {
  attempts: number
  backoffMs: number
  maxBackoffMs: number
}

export type RunResult = Pick<Run, 'status' | 'input' | 'output' | 'error' | 'steps'> & { finishedAt: number }
/** How a queued run ends: without `input` the stored one stays (nothing in it needed redacting). */
export type RunEnding = Omit<RunResult, 'input'> & { input?: Vars }

export type FinishedRun = NewRun & RunResult & { startedAt: number }

/** A catalog entry without its payloads, for lists. */
export type RunSummary = Omit<Run, 'input' | 'output' | 'steps'>

export interface RunFilter {
  status?: RunStatus
  endpoint?: string
  scenario?: string
  /** Created at or after / before (epoch ms). */
  from?: number
  to?: number
  /** Runs emitted by this one. */
  parentRunId?: number
  /** Replays of this run. */
  replayOf?: number
  limit: number
  /** Runs with an id below this one (newest first). */
  beforeId?: number
}
