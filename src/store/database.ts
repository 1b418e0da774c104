import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LecternError } from '../core/index.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Numbered `NNN-name.sql` files, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Why a database cannot be created at `path` (a file where a folder must be, a folder that cannot
 * be written), from the nearest part of the path that exists; undefined when nothing stands in the
 * way. For `doctor`, and to explain a failed open in words.
 */
export function storagePathProblem(path: string): string | undefined {
  if (path === ':memory:') return undefined;
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
    if (existsSync(path) && statSync(path).isDirectory()) return `${path} is a folder, not a database file`;
    accessSync(existsSync(path) ? path : dir, constants.W_OK);
  } catch {
    return `${existsSync(path) ? path : dir} cannot be written by this user`;
  }
  return undefined;
}

/**
 * Opens (creating if needed) the database in WAL mode and applies pending migrations, each in its
 * own transaction, recording progress in `user_version`.
 */
export function openDatabase(path: string, migrations = readMigrations()): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (cause) {
    const why = storagePathProblem(path) ?? (cause instanceof Error ? cause.message : String(cause));
    throw new LecternError('STORE_OPEN_FAILED', `Cannot open the database at ${path} (storage.path): ${why}`, { cause });
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (cause) {
      db.close();
      throw new LecternError('STORE_MIGRATION_FAILED', `Migration ${m.name} failed`, { cause });
    }
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
