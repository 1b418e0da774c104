-- One row per stream session. A restart soon after the last sign of life resumes the same row.
CREATE TABLE streams (
  id            INTEGER PRIMARY KEY,
  started_at    INTEGER NOT NULL,          -- ms since epoch
  last_seen_at  INTEGER NOT NULL,          -- heartbeat, ms since epoch
  ended_at      INTEGER,                   -- set on a clean stop; cleared when resumed
  resumes       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX streams_started ON streams (started_at);

-- Small per-platform state that must survive a restart (cursors, page tokens).
CREATE TABLE platform_state (
  platform   TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, key)
);
