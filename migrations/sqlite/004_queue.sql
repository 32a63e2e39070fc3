-- The run queue: when a queued run may next be claimed, the lease of a running one, the retry
-- policy it was enqueued with, and the run a replay was made from.
ALTER TABLE runs ADD COLUMN available_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN lease_until INTEGER;
ALTER TABLE runs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN backoff_ms INTEGER NOT NULL DEFAULT 1000;
ALTER TABLE runs ADD COLUMN max_backoff_ms INTEGER NOT NULL DEFAULT 60000;
ALTER TABLE runs ADD COLUMN replay_of INTEGER;

CREATE INDEX runs_claimable ON runs (status, available_at, id) WHERE status IN ('queued', 'running');
CREATE INDEX runs_created ON runs (created_at);
