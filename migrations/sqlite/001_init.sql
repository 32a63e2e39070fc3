-- Run catalog: one row per scenario run, sync or async.
CREATE TABLE runs (
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
  parent_run_id   INTEGER REFERENCES runs (id),
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  finished_at     INTEGER
);

CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_endpoint_id ON runs (endpoint, id);
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

-- Endpoint registry: exactly what the config declares, replaced at start.
CREATE TABLE endpoints (
  kind       TEXT    NOT NULL,
  slug       TEXT    NOT NULL,
  title      TEXT,
  scenario   TEXT    NOT NULL,
  enabled    INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  settings   TEXT    NOT NULL DEFAULT '{}',
  PRIMARY KEY (kind, slug)
);
