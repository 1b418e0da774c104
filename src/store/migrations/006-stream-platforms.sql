-- What each platform said about a stream session: its recording (video id, a VOD link template),
-- its title, and when it went live and offline. VOD times count from the platform's own start.
CREATE TABLE stream_platforms (
  stream_id  INTEGER NOT NULL REFERENCES streams(id),
  platform   TEXT NOT NULL,
  video_id   TEXT,
  vod_url    TEXT,                 -- with {seconds} or {hms} where the time goes
  title      TEXT,
  started_at INTEGER,              -- ms since epoch, as the platform says
  ended_at   INTEGER,
  PRIMARY KEY (stream_id, platform)
);
