-- YouTube quota spent per Pacific-time day (the API's quota resets at midnight Pacific).
CREATE TABLE quota_ledger (
  platform    TEXT NOT NULL,
  day         TEXT NOT NULL,               -- YYYY-MM-DD in America/Los_Angeles
  units       INTEGER NOT NULL DEFAULT 0,  -- all units spent that day
  reply_units INTEGER NOT NULL DEFAULT 0,  -- of which on replies
  PRIMARY KEY (platform, day)
);
