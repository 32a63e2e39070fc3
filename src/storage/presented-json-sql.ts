/**
 * A run summary as the API presents it (src/runs/present.ts), built by SQLite: one JSON string
 * per row, so a page of 50 is neither keyed, nor presented, nor serialised in JavaScript, which
 * was most of a page's CPU and its garbage (docs/performance.md, case 7). Keys in presentRun's
 * order; the test compares the two for every kind of value.
 */

/**
 * Epoch ms as `Date.prototype.toISOString` writes it, in integer arithmetic: `%f` goes through a
 * floating-point Julian day and can be 1 ms off. Holds for 1970 up to 9999, which covers every time
 * hookflow writes (Date.now()); NULL stays NULL.
 */
const iso = (column: string): string =>
  `strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || printf('.%03dZ', ${column} % 1000)`

export const PRESENTED_JSON = `json_object(
  'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
  'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
  'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
  'replayOf', replay_of, 'error', json(error),
  'createdAt', ${iso('created_at')}, 'startedAt', ${iso('started_at')}, 'finishedAt', ${iso('finished_at')},
  'durationMs', finished_at - started_at)`
