-- The run console lists a run's replays; partial, so runs that replay nothing cost no index write.
CREATE INDEX runs_replay_of ON runs (replay_of) WHERE replay_of IS NOT NULL;
