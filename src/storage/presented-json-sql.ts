/**
 * A run summary as the API presents it (src/runs/present.ts), built mostly by SQLite: one JSON
 * string per row, so a page of 50 is neither keyed, nor presented, nor serialised in JavaScript,
 * which was most of a page's CPU and its garbage (docs/performance.md, case 7). SQLite writes
 * every key up to `error`, in presentRun's order; writeRunPage (runs/run-page-body.ts) appends
 * the times and the duration by presentRun's own rules, because SQLite's date functions cost
 * ~0.4 µs a call (60 of a page's 170 µs) against writeIsoTime's cached day. The test compares the
 * page with presentRun's JSON for every kind of value.
 */
export const SUMMARY_JSON_HEAD = `json_object(
  'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
  'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
  'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
  'replayOf', replay_of, 'error', json(error))`

/** The columns after the head, in RunJsonRow's order. */
export const TIME_COLUMNS = 'created_at, started_at, finished_at'
