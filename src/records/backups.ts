import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LecternError, toError } from '../core/index.js';
import type { Store } from '../store/index.js';

/** `lectern-2026-11-03T18-04-05Z.db`, or `…Z-2.db` for a second copy within the same second. */
const NAME = /^lectern-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)(?:-(\d+))?\.db$/;

/** The time of a backup as its file name says it: colons are not allowed in every file system. */
export const stamp = (at: number): string => `${new Date(at).toISOString().slice(0, 19).replaceAll(':', '-')}Z`;

export interface BackupFile {
  readonly file: string;
  /** When it was made (from its name). */
  readonly at: number;
  readonly bytes: number;
}

/** The backups in a folder, oldest first (only files named as Lectern names them). */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const found: Array<BackupFile & { n: number }> = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const [date, time] = m[1]!.slice(0, -1).split('T');
    const at = Date.parse(`${date}T${time!.replaceAll('-', ':')}Z`);
    if (!Number.isFinite(at)) continue;
    found.push({ file: join(dir, name), at, bytes: statSync(join(dir, name)).size, n: Number(m[2] ?? 0) });
  }
  return found.sort((a, b) => a.at - b.at || a.n - b.n).map(({ file, at, bytes }) => ({ file, at, bytes }));
}

/** A free name for a backup made at `at` in `dir`. */
export function backupPath(dir: string, at: number): string {
  for (let n = 0; ; n++) {
    const file = join(dir, `lectern-${stamp(at)}${n ? `-${n}` : ''}.db`);
    if (!existsSync(file)) return file;
  }
}

/** Deletes all but the newest `keep` backups in `dir`; returns the files deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const old = all.slice(0, Math.max(0, all.length - keep)).map((b) => b.file);
  for (const f of old) rmSync(f, { force: true });
  return old;
}

/**
 * Backs the database up into `file`, or a new dated file in `dir` (created private, 0700).
 * `pagesPerStep`: how much is copied between turns of the event loop (the service copies in
 * slices; from another process the copy is made in one step, see `Store.backup`).
 */
export async function backUp(store: Store, target: { dir: string } | { file: string }, at: number, pagesPerStep?: number): Promise<BackupFile> {
  let file: string;
  if ('dir' in target) {
    try {
      if (!existsSync(target.dir)) mkdirSync(target.dir, { recursive: true, mode: 0o700 });
      if (!statSync(target.dir).isDirectory()) throw new Error('it is not a folder');
      chmodSync(target.dir, 0o700);
    } catch (cause) {
      throw new LecternError('STORE_BACKUP_FAILED', `Cannot keep backups in ${target.dir}: ${toError(cause).message}`, { cause });
    }
    file = backupPath(target.dir, at);
  } else file = target.file;
  await store.backup(file, pagesPerStep);
  return { file, at, bytes: statSync(file).size };
}
