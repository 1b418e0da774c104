-- The topic timeline of each stream: a row per topic change, in time order.
CREATE TABLE topics (
  id         INTEGER PRIMARY KEY,
  stream_id  INTEGER NOT NULL REFERENCES streams(id),
  title      TEXT NOT NULL,
  source     TEXT NOT NULL,              -- command | dashboard | note | title
  started_at INTEGER NOT NULL,           -- ms since epoch
  set_by     TEXT                        -- who set it (platform:login), when a person did
);
CREATE INDEX topics_stream ON topics (stream_id, started_at);

-- Viewer questions. `number` is what chat sees (#12): it counts from 1 in each stream.
CREATE TABLE questions (
  id             INTEGER PRIMARY KEY,
  stream_id      INTEGER NOT NULL REFERENCES streams(id),
  number         INTEGER NOT NULL,
  platform       TEXT NOT NULL,
  author_id      TEXT NOT NULL,
  author_name    TEXT NOT NULL,
  text           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  offset_seconds INTEGER NOT NULL,
  topic_id       INTEGER REFERENCES topics(id),
  source         TEXT NOT NULL,          -- command | detected
  message_id     TEXT NOT NULL,
  state          TEXT NOT NULL DEFAULT 'open',   -- open | answered | dismissed
  state_at       INTEGER,
  asker_count    INTEGER NOT NULL DEFAULT 0,     -- kept equal to its question_askers rows
  votes          INTEGER NOT NULL DEFAULT 0,     -- kept equal to its question_votes rows
  UNIQUE (stream_id, number)
);
CREATE INDEX questions_stream ON questions (stream_id, state);

-- Everyone who asked a question (the first asker included); one row per viewer.
CREATE TABLE question_askers (
  question_id INTEGER NOT NULL REFERENCES questions(id),
  platform    TEXT NOT NULL,
  author_id   TEXT NOT NULL,
  author_name TEXT NOT NULL,
  asked_at    INTEGER NOT NULL,
  message_id  TEXT NOT NULL,
  PRIMARY KEY (question_id, platform, author_id)
);

-- One vote per viewer per question.
CREATE TABLE question_votes (
  question_id INTEGER NOT NULL REFERENCES questions(id),
  platform    TEXT NOT NULL,
  voter_id    TEXT NOT NULL,
  voted_at    INTEGER NOT NULL,
  PRIMARY KEY (question_id, platform, voter_id)
);

-- The question on the overlay, at most one per stream.
CREATE TABLE highlights (
  stream_id   INTEGER PRIMARY KEY REFERENCES streams(id),
  question_id INTEGER REFERENCES questions(id),
  at          INTEGER NOT NULL
);
