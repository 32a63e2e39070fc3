-- Delivery ids already seen per entry point: a repeat within the window starts no new run.
CREATE TABLE idempotency_keys (
  kind       TEXT    NOT NULL,
  endpoint   TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  run_id     INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (kind, endpoint, key)
);

CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);
