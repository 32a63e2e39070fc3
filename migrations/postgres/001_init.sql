-- The PostgreSQL schema: the SQLite migrations 001–009 in one, with the same columns so both
-- stores map rows the same way. Times are epoch milliseconds; payloads are JSON text.

-- Run ids come from one sequence shared by every instance, handed out in blocks.
CREATE SEQUENCE runs_id_seq;

CREATE TABLE runs (
  id              BIGINT   PRIMARY KEY,
  kind            TEXT     NOT NULL,
  endpoint        TEXT,
  scenario        TEXT     NOT NULL,
  status          TEXT     NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'dead', 'cancelled')),
  is_async        SMALLINT NOT NULL DEFAULT 0,
  input           TEXT     NOT NULL,
  output          TEXT,
  error           TEXT,
  steps           TEXT,
  attempt         INTEGER  NOT NULL DEFAULT 1,
  timeout_ms      INTEGER  NOT NULL,
  status_key_hash TEXT,
  parent_run_id   BIGINT,
  depth           INTEGER  NOT NULL DEFAULT 0,
  created_at      BIGINT   NOT NULL,
  started_at      BIGINT,
  finished_at     BIGINT,
  available_at    BIGINT   NOT NULL DEFAULT 0,
  lease_until     BIGINT,
  max_attempts    INTEGER  NOT NULL DEFAULT 1,
  backoff_ms      INTEGER  NOT NULL DEFAULT 1000,
  max_backoff_ms  INTEGER  NOT NULL DEFAULT 60000,
  replay_of       BIGINT
);

CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_endpoint_id ON runs (endpoint, id);
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_replay_of ON runs (replay_of) WHERE replay_of IS NOT NULL;
-- Ids come in blocks per instance, so they do not order by time across instances: retention
-- and counts use created_at.
CREATE INDEX runs_created ON runs (created_at);
-- Claims look only at unfinished runs.
CREATE INDEX runs_claimable ON runs (id) WHERE status IN ('queued', 'running');

CREATE TABLE endpoints (
  kind       TEXT     NOT NULL,
  slug       TEXT     NOT NULL,
  title      TEXT,
  scenario   TEXT     NOT NULL,
  enabled    SMALLINT NOT NULL,
  timeout_ms INTEGER  NOT NULL,
  settings   TEXT     NOT NULL DEFAULT '{}',
  PRIMARY KEY (kind, slug)
);

CREATE TABLE collection_columns (
  collection  TEXT NOT NULL,
  column_name TEXT NOT NULL,
  type        TEXT NOT NULL,
  PRIMARY KEY (collection, column_name)
);

CREATE TABLE idempotency_keys (
  kind       TEXT   NOT NULL,
  endpoint   TEXT   NOT NULL,
  key        TEXT   NOT NULL,
  run_id     BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (kind, endpoint, key)
);
CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);

CREATE TABLE audit_log (
  id     BIGSERIAL PRIMARY KEY,
  at     BIGINT NOT NULL,
  actor  TEXT   NOT NULL,
  role   TEXT   NOT NULL,
  action TEXT   NOT NULL,
  target TEXT,
  detail TEXT
);

CREATE TABLE console_sessions (
  id_hash      TEXT   PRIMARY KEY,
  token_digest TEXT   NOT NULL,
  csrf         TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);

-- One-time ids for signed remote events: issued by one instance, used up once by any.
CREATE TABLE event_rands (
  rand       TEXT   PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX event_rands_expiry ON event_rands (expires_at);
