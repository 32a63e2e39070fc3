-- Run console logins. Only the SHA-256 of the session id is kept, so a copy of the database
-- cannot be used to log in; token_digest ties a session to the admin token it began with.
CREATE TABLE console_sessions (
  id_hash      TEXT    PRIMARY KEY,
  token_digest TEXT    NOT NULL,
  csrf         TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
