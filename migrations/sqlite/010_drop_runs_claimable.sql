-- No query of the server reads runs_claimable on SQLite: the claims and the queue depth walk
-- runs_status_id. Yet every run wrote it three times (enqueue, claim, end); without it a claim
-- and its result cost 20–25 % less in isolation (docs/performance.md). PostgreSQL keeps its own.
DROP INDEX IF EXISTS runs_claimable;
