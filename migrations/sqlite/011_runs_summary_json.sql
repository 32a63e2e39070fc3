-- A run summary as the API presents it (src/runs/present.ts), up to `error`, as JSON SQLite keeps
-- with the row: computed when the run is written or changes, not for every list page that shows
-- it (building it took ~30–40 µs of a page of 50's ~100 µs statement; docs/performance.md, case 7).
-- writeRunPage (src/runs/run-page-body.ts) appends the times and the duration by presentRun's
-- rules; a test compares the page with presentRun's JSON for every kind of value. Changing the
-- summary's keys means a migration that rebuilds the table again.
-- An `error` that is not JSON (never written by the server) is kept as a string rather than
-- failing the run's write. SQLite adds a STORED column only by rebuilding the table: on a large
-- catalog this migration takes a while (about 20 s a million runs here) and holds the write lock.
CREATE TABLE runs_next (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL,
  endpoint        TEXT,
  scenario        TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'dead', 'cancelled')),
  is_async        INTEGER NOT NULL DEFAULT 0,
  input           TEXT    NOT NULL,
  output          TEXT,
  error           TEXT,
  steps           TEXT,
  attempt         INTEGER NOT NULL DEFAULT 1,
  timeout_ms      INTEGER NOT NULL,
  status_key_hash TEXT,
  parent_run_id   INTEGER,
  depth           INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  finished_at     INTEGER,
  available_at    INTEGER NOT NULL DEFAULT 0,
  lease_until     INTEGER,
  max_attempts    INTEGER NOT NULL DEFAULT 1,
  backoff_ms      INTEGER NOT NULL DEFAULT 1000,
  max_backoff_ms  INTEGER NOT NULL DEFAULT 60000,
  replay_of       INTEGER,
  summary_json    TEXT GENERATED ALWAYS AS (json_object(
    'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
    'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
    'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
    'replayOf', replay_of, 'error', CASE WHEN json_valid(error) THEN json(error) ELSE error END)) STORED
);

INSERT INTO runs_next (id, kind, endpoint, scenario, status, is_async, input, output, error, steps, attempt,
  timeout_ms, status_key_hash, parent_run_id, depth, created_at, started_at, finished_at,
  available_at, lease_until, max_attempts, backoff_ms, max_backoff_ms, replay_of)
SELECT id, kind, endpoint, scenario, status, is_async, input, output, error, steps, attempt,
  timeout_ms, status_key_hash, parent_run_id, depth, created_at, started_at, finished_at,
  available_at, lease_until, max_attempts, backoff_ms, max_backoff_ms, replay_of FROM runs;

DROP TABLE runs;
ALTER TABLE runs_next RENAME TO runs;

CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_endpoint_id ON runs (endpoint, id);
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_replay_of ON runs (replay_of) WHERE replay_of IS NOT NULL;
