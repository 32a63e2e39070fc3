-- Emitted runs link to their parent and count their depth. The parent of an emitted run may be a
-- sync run whose record is written only after its reply, so the link cannot be a foreign key:
-- the table is rebuilt without it.
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
  finished_at     INTEGER
);

INSERT INTO runs_next (id, kind, endpoint, scenario, status, is_async, input, output, error, steps, attempt,
  timeout_ms, status_key_hash, parent_run_id, depth, created_at, started_at, finished_at)
SELECT id, kind, endpoint, scenario, status, is_async, input, output, error, steps, attempt,
  timeout_ms, status_key_hash, parent_run_id, 0, created_at, started_at, finished_at FROM runs;

DROP TABLE runs;
ALTER TABLE runs_next RENAME TO runs;

CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_endpoint_id ON runs (endpoint, id);
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
