-- The backlog: one item per question across streams. The same question asked in several streams
-- (the same merge rules as within a stream) is one item; each question points at its item.
-- `state` holds what the streamer decided for the item (answered by a post or by hand, dismissed);
-- answered live is read from its questions (a question answered on stream answers the item).
CREATE TABLE backlog_items (
  id             INTEGER PRIMARY KEY,
  text           TEXT NOT NULL,                -- the first asking's text
  created_at     INTEGER NOT NULL,
  state          TEXT NOT NULL DEFAULT 'open', -- open | answered | dismissed
  state_at       INTEGER,
  answered_url   TEXT,                         -- the post that answers it
  answered_title TEXT,
  reopened_at    INTEGER,                      -- live answers before this no longer count
  merged_into    INTEGER REFERENCES backlog_items(id)
);
ALTER TABLE questions ADD COLUMN item_id INTEGER REFERENCES backlog_items(id);
-- A question is written without an item (placed later, in batches): a partial index costs the
-- insert on the chat path nothing, and finds an item's questions.
CREATE INDEX questions_item ON questions (item_id) WHERE item_id IS NOT NULL;

-- A new post that may answer an item; the streamer confirms or rejects it.
CREATE TABLE answer_proposals (
  item_id     INTEGER NOT NULL REFERENCES backlog_items(id),
  url         TEXT NOT NULL,
  title       TEXT NOT NULL,
  score       REAL NOT NULL,
  proposed_at INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending',  -- pending | confirmed | rejected
  PRIMARY KEY (item_id, url)
);

-- Articles the feeds have brought, so that only a new one proposes answers.
CREATE TABLE seen_articles (
  url        TEXT PRIMARY KEY,
  first_seen INTEGER NOT NULL
);
-- Feeds seen at least once: the first look at a feed is its history, remembered, never proposed.
CREATE TABLE seen_feeds (
  url        TEXT PRIMARY KEY,
  first_seen INTEGER NOT NULL
);

-- One follow-up per viewer and item answered by a post, told once in a later stream.
CREATE TABLE follow_ups (
  platform        TEXT NOT NULL,
  author_id       TEXT NOT NULL,
  item_id         INTEGER NOT NULL REFERENCES backlog_items(id),
  author_name     TEXT NOT NULL,
  asked_stream_id INTEGER NOT NULL,   -- the latest stream the viewer asked it in
  asked_at        INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  sent_stream_id  INTEGER,
  PRIMARY KEY (platform, author_id, item_id)
);

-- Chat activity while each topic ran: lines and distinct chatters (for engagement by topic).
CREATE TABLE topic_activity (
  topic_id INTEGER PRIMARY KEY REFERENCES topics(id),
  lines    INTEGER NOT NULL DEFAULT 0,
  chatters INTEGER NOT NULL DEFAULT 0
);
