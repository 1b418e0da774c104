-- Commands added from chat (!addcom) or the dashboard. Commands of the config file are not kept
-- here (the file is their source); a config command of the same name wins.
CREATE TABLE chat_commands (
  name            TEXT PRIMARY KEY,            -- lower-case, without the prefix
  response        TEXT NOT NULL,               -- may hold {user} {count} {uptime} {topic} {notes} {random a|b}
  aliases         TEXT NOT NULL DEFAULT '[]',  -- JSON list of lower-case names
  permission      TEXT NOT NULL DEFAULT 'everyone',
  global_cooldown INTEGER NOT NULL DEFAULT 0,  -- seconds
  user_cooldown   INTEGER NOT NULL DEFAULT 0,  -- seconds
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT NOT NULL                -- 'dashboard', or 'twitch' / 'youtube' (where a moderator typed it)
);

-- How often each command (config or chat) and each timer was used: {count}.
CREATE TABLE command_counters (
  name  TEXT PRIMARY KEY,                      -- a command's name, or 'timer:' and a timer's name
  count INTEGER NOT NULL DEFAULT 0
);

-- Periodic messages added on the dashboard (the config file's own are not kept here).
CREATE TABLE timers (
  name          TEXT PRIMARY KEY,
  message       TEXT,                          -- the text, or NULL when it runs a command
  command       TEXT,                          -- a channel command's name
  every_minutes REAL NOT NULL,
  min_lines     INTEGER NOT NULL,
  platforms     TEXT NOT NULL DEFAULT 'both',  -- both | twitch | youtube
  enabled       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
