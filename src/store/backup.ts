import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { LecternError } from '../core/index.js';
import { readMigrations, schemaVersion, type Db } from './database.js';

/** Pages copied per step when the copy may be written by another process: all of them, in one read. */
export const ALL_PAGES = 0x7fffffff;

const sidecars = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * Copies a database into `dest` through SQLite's online backup API: a consistent snapshot, even
 * while another connection writes (a write by another process restarts the copy, so the service's
 * database is copied in one step; the service's own writes reach a copy it makes itself). The
 * copy is written beside `dest`, turned into one self-contained file (rollback journal, not WAL),
 * made private (0600), and only then renamed into place: a failed copy leaves nothing behind.
 */
export async function backupInto(db: Db, dest: string, pagesPerStep = ALL_PAGES): Promise<void> {
  const partial = `${dest}.partial`;
  const clear = () => sidecars(partial).forEach((f) => rmSync(f, { force: true }));
  try {
    clear();
    await db.backup(partial, { progress: () => pagesPerStep });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    chmodSync(partial, 0o600);
    renameSync(partial, dest);
  } catch (cause) {
    try {
      clear();
    } catch {
      // Nothing was written where nothing can be.
    }
    throw new LecternError('STORE_BACKUP_FAILED', `Cannot write a copy of the database to ${dest}: ${errorText(cause)}`, { cause });
  }
}

/** Copies the database file `source` into `dest` (see `backupInto`), opening it read-only. */
export async function copyDatabase(source: string, dest: string): Promise<void> {
  let db: Db;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new LecternError('STORE_OPEN_FAILED', `Cannot open ${source} as a database: ${errorText(cause)}`, { cause });
  }
  try {
    await backupInto(db, dest);
  } finally {
    db.close();
  }
}

export interface DatabaseCheck {
  /** "ok", or SQLite's complaints (the first few). */
  readonly integrity: string;
  readonly schemaVersion: number;
  /** The newest schema this build knows. */
  readonly latestVersion: number;
  /** Whether it has Lectern's tables at all. */
  readonly lectern: boolean;
  readonly streams: number;
  readonly questions: number;
}

/**
 * Looks at a database file without changing it: SQLite's integrity check (`full`: every page and
 * index, for a restore; else the quick one), its schema version and what it holds.
 */
export function checkDatabase(file: string, full: boolean): DatabaseCheck {
  const latestVersion = Math.max(0, ...readMigrations().map((m) => m.version));
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new LecternError('STORE_OPEN_FAILED', `Cannot open ${file} as a database: ${errorText(cause)}`, { cause });
  }
  try {
    const problems = db.pragma(full ? 'integrity_check(5)' : 'quick_check(5)') as Array<Record<string, string>>;
    const integrity = problems.map((r) => Object.values(r)[0]).join('; ');
    const tables = new Set(
      db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((r) => r.name),
    );
    const lectern = tables.has('streams') && tables.has('questions');
    const count = (table: string) => (lectern ? db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n : 0);
    return { integrity, schemaVersion: schemaVersion(db), latestVersion, lectern, streams: count('streams'), questions: count('questions') };
  } catch (cause) {
    throw new LecternError('STORE_OPEN_FAILED', `Cannot read ${file} as a database: ${errorText(cause)}`, { cause });
  } finally {
    db.close();
  }
}

/**
 * Moves a database and its -wal and -shm files aside under `aside` (SQLite finds a WAL file by
 * the database's name, so the moved copy still opens with everything committed), private. What
 * the WAL holds is first written into the database when it can be opened. Returns the files moved.
 */
export function moveDatabase(file: string, aside: string): string[] {
  if (!existsSync(file)) return [];
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // A damaged database (the reason for a restore, maybe) is moved as it is, WAL and all.
  }
  const moved: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(file + suffix)) continue;
    renameSync(file + suffix, aside + suffix);
    chmodSync(aside + suffix, 0o600);
    moved.push(aside + suffix);
  }
  return moved;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
