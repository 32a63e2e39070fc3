-- The columns each collection table was created with, and their types: a config that changes a
-- field's type is refused instead of misreading stored data.
CREATE TABLE collection_columns (
  collection  TEXT NOT NULL,
  column_name TEXT NOT NULL,
  type        TEXT NOT NULL,
  PRIMARY KEY (collection, column_name)
);
