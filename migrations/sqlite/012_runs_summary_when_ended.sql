-- Migration 011 stored every run's summary JSON with its row, so a run's intake, its claim and its
-- end each built the JSON and wrote a row ~200 bytes longer, two of the three for a summary that
-- was out of date milliseconds later. The stored column `summary_final` is now built once, when
-- the run ends (it is NULL while the run is queued or running), and `summary_json`, which every
-- reader uses, is a VIRTUAL column: the stored summary, or for a run still under way the same JSON
-- built when a page reads it. In a loop of intake, claim and end, the intake's insert got a sixth
-- cheaper and the claim and end up to a third, as the disk allows (docs/performance.md, "Findings
-- and gains"). The JSON is 011's, key for key, written out in both columns: a VIRTUAL column of
-- its own for the two to share would be built by every `SELECT *` (a run's detail) for ended runs
-- too, where the coalesce stops at the stored value.
-- Like 011 this rebuilds the table (SQLite adds a STORED column no other way): about 8 s a million
-- runs here, holding the write lock.
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
  summary_final   TEXT GENERATED ALWAYS AS (CASE WHEN status IN ('queued', 'running') THEN NULL ELSE json_object(
    'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
    'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
    'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
    'replayOf', replay_of, 'error', CASE WHEN json_valid(error) THEN json(error) ELSE error END) END) STORED,
  summary_json    TEXT GENERATED ALWAYS AS (coalesce(summary_final, json_object(
    'id', id, 'kind', kind, 'endpoint', endpoint, 'scenario', scenario, 'status', status,
    'async', json(CASE is_async WHEN 1 THEN 'true' ELSE 'false' END),
    'attempt', attempt, 'timeoutMs', timeout_ms, 'parentRunId', parent_run_id, 'depth', depth,
    'replayOf', replay_of, 'error', CASE WHEN json_valid(error) THEN json(error) ELSE error END))) VIRTUAL
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
