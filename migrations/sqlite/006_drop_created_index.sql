-- Retention finds its cut-off by id (ids ascend with creation time), so the created_at index only
-- cost every insert a write.
DROP INDEX IF EXISTS runs_created;
