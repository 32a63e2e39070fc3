-- A cancel asked on one instance for a run executing on another: the instance running it sees
-- the flag when it renews its leases, and stops the run.
ALTER TABLE runs ADD COLUMN cancel_requested SMALLINT NOT NULL DEFAULT 0;
