import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** A command added from chat or the dashboard. Cooldowns in seconds. */
export interface CommandRow {
  readonly name: string;
  readonly response: string;
  readonly aliases: readonly string[];
  readonly permission: string;
  readonly globalCooldown: number;
  readonly userCooldown: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** A timer added on the dashboard: a message, or a command's response, every so often. */
export interface TimerRow {
  readonly name: string;
  readonly message: string | null;
  readonly command: string | null;
  readonly everyMinutes: number;
  readonly minLines: number;
  readonly platforms: string;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface CommandDbRow {
  name: string;
  response: string;
  aliases: string;
  permission: string;
  global_cooldown: number;
  user_cooldown: number;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

interface TimerDbRow {
  name: string;
  message: string | null;
  command: string | null;
  every_minutes: number;
  min_lines: number;
  platforms: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

function aliasesOf(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : [];
  } catch {
    return [];
  }
}

const commandRow = (r: CommandDbRow): CommandRow => ({
  name: r.name,
  response: r.response,
  aliases: aliasesOf(r.aliases),
  permission: r.permission,
  globalCooldown: r.global_cooldown,
  userCooldown: r.user_cooldown,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const timerRow = (r: TimerDbRow): TimerRow => ({
  name: r.name,
  message: r.message,
  command: r.command,
  everyMinutes: r.every_minutes,
  minLines: r.min_lines,
  platforms: r.platforms,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Chat-added commands, their use counters, and dashboard timers. Statements are prepared at first
 * use, so a read-only store opened on a database from before migration 009 (an export run before
 * the upgraded service) still opens.
 */
export class CommandsRepo {
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement {
    let s = this.prepared.get(sql);
    if (!s) this.prepared.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private get listStmt() {
    return this.stmt('SELECT * FROM chat_commands ORDER BY name') as Statement<[], CommandDbRow>;
  }

  private get saveStmt() {
    return this.stmt(
      `INSERT INTO chat_commands (name, response, aliases, permission, global_cooldown, user_cooldown, created_at, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET response = excluded.response, aliases = excluded.aliases, permission = excluded.permission,
         global_cooldown = excluded.global_cooldown, user_cooldown = excluded.user_cooldown, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ) as Statement<[string, string, string, string, number, number, number, number, string]>;
  }

  private get deleteStmt() {
    return this.stmt('DELETE FROM chat_commands WHERE name = ?') as Statement<[string]>;
  }

  private get countStmt() {
    return this.stmt(
      'INSERT INTO command_counters (name, count) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET count = count + 1 RETURNING count',
    ) as Statement<[string], { count: number }>;
  }

  private get countGetStmt() {
    return this.stmt('SELECT count FROM command_counters WHERE name = ?') as Statement<[string], { count: number }>;
  }

  private get timersStmt() {
    return this.stmt('SELECT * FROM timers ORDER BY name') as Statement<[], TimerDbRow>;
  }

  private get saveTimerStmt() {
    return this.stmt(
      `INSERT INTO timers (name, message, command, every_minutes, min_lines, platforms, enabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET message = excluded.message, command = excluded.command, every_minutes = excluded.every_minutes,
         min_lines = excluded.min_lines, platforms = excluded.platforms, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    ) as Statement<[string, string | null, string | null, number, number, string, number, number, number]>;
  }

  private get deleteTimerStmt() {
    return this.stmt('DELETE FROM timers WHERE name = ?') as Statement<[string]>;
  }

  list(): CommandRow[] {
    return this.listStmt.all().map(commandRow);
  }

  /** Adds or replaces a command (its creation time is kept on replace). */
  save(c: CommandRow): void {
    this.saveStmt.run(c.name, c.response, JSON.stringify(c.aliases), c.permission, c.globalCooldown, c.userCooldown, c.createdAt, c.updatedAt, c.updatedBy);
  }

  remove(name: string): boolean {
    return this.deleteStmt.run(name).changes > 0;
  }

  /** Counts one more use of `name` and returns the new count. */
  increment(name: string): number {
    return this.countStmt.get(name)?.count ?? 1;
  }

  count(name: string): number {
    return this.countGetStmt.get(name)?.count ?? 0;
  }

  timers(): TimerRow[] {
    return this.timersStmt.all().map(timerRow);
  }

  saveTimer(t: TimerRow): void {
    this.saveTimerStmt.run(t.name, t.message, t.command, t.everyMinutes, t.minLines, t.platforms, t.enabled ? 1 : 0, t.createdAt, t.updatedAt);
  }

  removeTimer(name: string): boolean {
    return this.deleteTimerStmt.run(name).changes > 0;
  }
}
