-- Twitch stream markers created on topic changes (for the chapters export).
CREATE TABLE markers (
  id               INTEGER PRIMARY KEY,
  stream_id        INTEGER NOT NULL REFERENCES streams(id),
  topic_id         INTEGER REFERENCES topics(id),
  created_at       INTEGER NOT NULL,
  position_seconds INTEGER NOT NULL,
  description      TEXT NOT NULL
);
CREATE INDEX markers_stream ON markers (stream_id, created_at);
