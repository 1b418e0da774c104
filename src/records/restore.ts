import { existsSync, mkdirSync, realpathSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LecternError } from '../core/index.js';
import { checkDatabase, copyDatabase, moveDatabase, type DatabaseCheck } from '../store/index.js';
import { stamp } from './backups.js';

export interface RestoreResult {
  /** What the restored database holds. */
  readonly restored: DatabaseCheck;
  /** Where the replaced database went (with its -wal and -shm files), if there was one. */
  readonly replaced: readonly string[];
}

/** Why a file cannot be restored, or undefined when it can. */
export function restoreProblem(check: DatabaseCheck): string | undefined {
  if (check.integrity !== 'ok') return `it fails SQLite's integrity check (${check.integrity})`;
  if (!check.lectern || check.schemaVersion === 0) return 'it is not a Lectern database';
  if (check.schemaVersion > check.latestVersion)
    return `it was written by a newer Lectern (schema version ${check.schemaVersion}; this one knows up to ${check.latestVersion}): update Lectern first`;
  return undefined;
}

/**
 * Puts a backup in place of the database at `dbPath` (the service must not be running: the
 * caller checks its heartbeat). The backup is checked first (the full integrity check, a Lectern
 * schema not newer than this build's); the current database, with its -wal and -shm files, is
 * kept beside it as `lectern.db.replaced-<date>`; the backup is copied in through SQLite (so a
 * copy in WAL mode comes with what its WAL holds), private, and renamed into place.
 */
export async function restoreDatabase(dbPath: string, backupFile: string, at: number): Promise<RestoreResult> {
  const db = resolve(dbPath);
  const file = resolve(backupFile);
  if (!existsSync(file)) throw new LecternError('INVALID_INPUT', `There is no file ${file}`);
  if (existsSync(db) && realpathSync(db) === realpathSync(file)) throw new LecternError('INVALID_INPUT', `${file} is the database itself`);
  const check = checkDatabase(file, true);
  const problem = restoreProblem(check);
  if (problem) throw new LecternError('INVALID_INPUT', `${file} cannot be restored: ${problem}`);
  let aside = `${db}.replaced-${stamp(at)}`;
  for (let n = 2; existsSync(aside); n++) aside = `${db}.replaced-${stamp(at)}-${n}`;
  // Copied beside the database first: the current one is moved only once the copy is whole.
  const incoming = `${db}.restoring`;
  mkdirSync(dirname(db), { recursive: true, mode: 0o700 });
  await copyDatabase(file, incoming);
  const replaced = moveDatabase(db, aside);
  renameSync(incoming, db);
  return { restored: checkDatabase(db, false), replaced };
}
