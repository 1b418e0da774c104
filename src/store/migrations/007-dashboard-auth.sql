-- Dashboard sessions: the browser's cookie holds a random id, never the dashboard token; only its
-- SHA-256 is kept here, with the token it was opened with (its fingerprint), so a new token
-- revokes every session. One-time login codes (`lectern dashboard-url`) likewise, hashed.
CREATE TABLE dashboard_sessions (
  id_hash     TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE TABLE dashboard_logins (
  code_hash  TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
