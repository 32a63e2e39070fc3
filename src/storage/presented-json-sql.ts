import { durationOf, presentTime } from '../runs/present.js'

/**
 * A run summary as the API presents it (src/runs/present.ts), built mostly by SQLite: one JSON
 * string per row, so a page of 50 is neither keyed, nor presented, nor serialised in JavaScript,
 * which was most of a page's CPU and its garbage (docs/performance.md, case 7). SQLite writes
 * every key up to `error`, in presentRun's order; the times and the duration are appended here,
 * by presentRun's own rules, because SQLite's date functions cost ~0.4 µs a call (60 of a page's
 * 170 µs) against isoTime's cached day. The test compares the result with presentRun's for every
 * kind of value.
 */
export const SUMMARY_JSON_HEAD = `json_object(
  'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
  'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
  'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
  'replayOf', replay_of, 'error', json(error))`

/** The columns after the head, in the order `withTimes` takes them. */
export const TIME_COLUMNS = 'created_at, started_at, finished_at'

// An ISO time holds only digits, '-', ':', 'T', '.' and 'Z': quoted as it is, without JSON.stringify
// (6 % of a page's thread in a profile of case 7, three calls a run).
const time = (ms: number | null): string => {
  const iso = presentTime(ms)
  return iso === null ? 'null' : `"${iso}"`
}

/** The head with `createdAt`, `startedAt`, `finishedAt` and `durationMs` appended, by presentRun's rules. */
export function withTimes (head: string, createdAt: number, startedAt: number | null, finishedAt: number | null): string {
  return `${head.slice(0, -1)},"createdAt":${time(createdAt)},"startedAt":${time(startedAt)},"finishedAt":${time(finishedAt)},"durationMs":${durationOf(startedAt, finishedAt)}}`
}
