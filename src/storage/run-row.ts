import type { RunError } from '../runner/types.js'
import type { Run, RunStatus, RunSummary } from '../runs/types.js'

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

export function toRun (row: RunRow): Run {
  return {
    ...toSummary(row),
    input: JSON.parse(row.input ?? '{}'),
    output: row.output == null ? null : JSON.parse(row.output),
    steps: row.steps == null ? [] : JSON.parse(row.steps)
  }
}

