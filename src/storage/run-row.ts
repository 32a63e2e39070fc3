import type { RunError, StepLogEntry, Vars } from '../runner/types.js'
import type { NewRun, Run, RunEnding, RunResult, RunStatus, RunSummary } from '../runs/types.js'
import type { ClaimedRun, RunStatusView } from './types.js'

/** A row of the `runs` table, as SQLite returns it (payload columns only when selected). */
export interface RunRow {
  id: number
  kind: string
  endpoint: string | null
  scenario: string
  status: RunStatus
  is_async: number
  attempt: number
  timeout_ms: number
  parent_run_id: number | null
  depth: number
  replay_of: number | null
  input?: string
  output?: string | null
  error: string | null
  steps?: string | null
  status_key_hash?: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
}

export const SUMMARY_COLUMNS = 'id, kind, endpoint, scenario, status, is_async, attempt, timeout_ms, parent_run_id, depth, replay_of, error, created_at, started_at, finished_at'

/** What `toRun` reads: a run's detail without the stored summaries or the status key's hash. */
export const RUN_DETAIL_COLUMNS = `${SUMMARY_COLUMNS}, input, output, steps`

export function toSummary (row: RunRow): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    endpoint: row.endpoint,
    scenario: row.scenario,
    status: row.status,
    async: row.is_async === 1,
    attempt: row.attempt,
    timeoutMs: row.timeout_ms,
    parentRunId: row.parent_run_id,
    depth: row.depth,
    replayOf: row.replay_of,
    error: row.error === null ? null : JSON.parse(row.error) as RunError,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at
  }
}

// Keys are added with Object.assign, not after a spread: on Node 20 a literal that adds keys
// after `...` costs ~1–3 µs a key (docs/performance.md, "object spread"), and claims build these.
export function toRun (row: RunRow): Run {
  return Object.assign(toSummary(row), {
    input: JSON.parse(row.input ?? '{}') as Vars,
    output: row.output == null ? null : JSON.parse(row.output) as Vars,
    steps: row.steps == null ? [] : JSON.parse(row.steps) as StepLogEntry[]
  })
}

export const json = (value: unknown): string | null => value === null || value === undefined ? null : JSON.stringify(value)

/** A whole `runs` row, keyed by column: SQLite's named parameters, PostgreSQL's `json_populate_recordset`. */
export function runRow (run: NewRun & Partial<RunResult>): Record<string, unknown> {
  return {
    id: run.id,
    kind: run.kind,
    endpoint: run.endpoint,
    scenario: run.scenario,
    status: run.status,
    is_async: run.async ? 1 : 0,
    input: JSON.stringify(run.input),
    output: json(run.output),
    error: json(run.error),
    steps: json(run.steps),
    attempt: run.attempt ?? 1,
    timeout_ms: run.timeoutMs,
    status_key_hash: run.statusKeyHash ?? null,
    parent_run_id: run.parentRunId ?? null,
    depth: run.depth ?? 0,
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    available_at: 0,
    lease_until: run.leaseUntil ?? null,
    max_attempts: run.retry?.attempts ?? 1,
    backoff_ms: run.retry?.backoffMs ?? 1000,
    max_backoff_ms: run.retry?.maxBackoffMs ?? 60_000,
    replay_of: run.replayOf ?? null
  }
}

// Named, so columns a later migration adds take their defaults.
export const RUN_COLUMNS = Object.keys(runRow({ id: 0, kind: '', endpoint: null, scenario: '', status: 'queued', async: false, timeoutMs: 0, input: {}, createdAt: 0 })).join(', ')

/** The columns a run's end writes, keyed by column. */
export function finishRow (id: number, result: RunEnding) {
  return {
    id,
    status: result.status,
    // Null keeps the stored input (the statements coalesce it).
    input: result.input === undefined ? null : JSON.stringify(result.input),
    output: json(result.output),
    error: json(result.error),
    steps: json(result.steps),
    finished_at: result.finishedAt
  }
}

/** A claimed run's row: the run and the retry policy it carries. */
export interface ClaimRow extends RunRow {
  max_attempts: number
  backoff_ms: number
  max_backoff_ms: number
}

export const toClaimed = (row: ClaimRow): ClaimedRun => Object.assign(toRun(row), {
  maxAttempts: row.max_attempts,
  backoffMs: row.backoff_ms,
  maxBackoffMs: row.max_backoff_ms
})

export type StatusViewRow = Pick<RunRow, 'id' | 'status' | 'output' | 'error' | 'status_key_hash'>
export const STATUS_VIEW_COLUMNS = 'id, status, output, error, status_key_hash'

/** What a caller's status URL may reveal, plus the key hash to check against. */
export const toStatusView = (row: StatusViewRow): RunStatusView => ({
  id: row.id,
  status: row.status,
  output: row.output == null ? null : JSON.parse(row.output),
  error: row.error === null ? null : JSON.parse(row.error) as RunError,
  statusKeyHash: row.status_key_hash ?? null
})
