-- Every acting admin call: who (the token's name), what, on what, when.
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  actor  TEXT    NOT NULL,
  role   TEXT    NOT NULL,
  action TEXT    NOT NULL,
  target TEXT,
  detail TEXT
);
