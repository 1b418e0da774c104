import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dataPaths, type Config } from '../config/index.js';
import { isLecternError, toError, type PlatformId } from '../core/index.js';
import {
  backUp,
  backupPath,
  describeForget,
  forgetViewer,
  listBackups,
  resolveViewer,
  restoreDatabase,
  type AccountSummary,
  type ForgetReport,
} from '../records/index.js';
import { checkDatabase, Store } from '../store/index.js';
import { RUNNING_WITHIN_MS, viaService } from './backlog.js';
import { configOrExit, EXIT, noDatabaseYet, plural, privateFiles, type Io } from './io.js';

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** When the running service last heartbeated, if that was moments ago (undefined: it is not running). */
function runningSince(config: Config, now: number): number | undefined {
  const beat = Store.inspect(config.storage.path).heartbeatAt;
  return beat !== undefined && now - beat < RUNNING_WITHIN_MS ? beat : undefined;
}

/**
 * Where `--out` puts the copy: a folder gets the dated name inside it; a file that exists is
 * replaced only when it is a Lectern database (an older backup), never another file; a missing
 * folder on the way is made (private). A string is a refusal to print.
 */
function backupTarget(out: string, now: number): string | { refused: string } {
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
    return out;
  }
  if (statSync(out).isDirectory()) return backupPath(out, now);
  let lectern = false;
  try {
    lectern = checkDatabase(out, false).lectern;
  } catch {
    lectern = false;
  }
  return lectern ? out : { refused: `--out ${out} exists and is not a Lectern backup: it is left as it is; choose another file or a folder` };
}

/**
 * `lectern backup [--out FILE|FOLDER]`: a consistent copy of the database, while the service runs
 * or not (SQLite's online backup API from a read-only connection, in one step), private, by
 * default in `backups/` next to the database with the date in its name.
 */
export async function backup(configPath: string, opts: { out?: string }, io: Io, now = Date.now()): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const db = resolve(config.storage.path);
  if (!existsSync(db)) {
    io.err(`lectern backup: ${noDatabaseYet(db)}`);
    return EXIT.failure;
  }
  const out = opts.out === undefined ? undefined : resolve(opts.out);
  if (out && [db, `${db}-wal`, `${db}-shm`].includes(out)) {
    io.err('lectern backup: --out names the database itself: choose another file');
    return EXIT.usage;
  }
  privateFiles();
  try {
    const target = out === undefined ? undefined : backupTarget(out, now);
    if (typeof target === 'object') {
      io.err(`lectern backup: ${target.refused}`);
      return EXIT.usage;
    }
    const store = Store.openReadOnly(db);
    let b: { file: string; bytes: number };
    try {
      b = await backUp(store, target ? { file: target } : { dir: dataPaths(config).backups }, now);
    } finally {
      store.close();
    }
    const c = checkDatabase(b.file, false);
    if (c.integrity !== 'ok') throw new Error(`the copy at ${b.file} fails SQLite's check (${c.integrity})`);
    io.out(b.file);
    io.err(`Backed up ${db} (${size(b.bytes)}: ${plural(c.streams, 'stream')}, ${plural(c.questions, 'question')}).`);
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern backup: ${toError(err).message}`);
    return EXIT.failure;
  }
}

/**
 * `lectern restore FILE`: refuses while the service runs; checks the file (SQLite's integrity
 * check, a schema not newer than this build's); keeps the replaced database beside it.
 */
export async function restore(configPath: string, file: string, io: Io, now = Date.now()): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const db = resolve(config.storage.path);
  try {
    const beat = existsSync(db) ? runningSince(config, now) : undefined;
    if (beat !== undefined) {
      io.err(`lectern restore: the service is running (it said so ${Math.round((now - beat) / 1000)} s ago): stop it first, then restore`);
      return EXIT.failure;
    }
  } catch (err) {
    io.err(`lectern restore: the current database cannot be read (${toError(err).message}); make sure the service is stopped: restoring anyway`);
  }
  privateFiles();
  try {
    const r = await restoreDatabase(db, file, now);
    io.out(
      `Restored ${resolve(file)} into ${db}: ${plural(r.restored.streams, 'stream')}, ${plural(r.restored.questions, 'question')} (schema version ${r.restored.schemaVersion}).`,
    );
    if (r.replaced.length) io.out(`The database it replaced is kept as ${r.replaced[0]}${r.replaced.length > 1 ? ' (with its -wal and -shm files)' : ''}.`);
    if (r.restored.schemaVersion < r.restored.latestVersion) io.out('It is from an older Lectern: the next start brings it up to date.');
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern restore: ${toError(err).message}`);
    return EXIT.failure;
  }
}

function printAccounts(io: Io, platform: string, query: string, accounts: readonly AccountSummary[]): void {
  io.err(`lectern forget: "${query}" is a name of ${accounts.length} ${platform} accounts; nothing was removed. Name one by its account id:`);
  for (const a of accounts) {
    const seen = a.lastSeen === null ? '' : `, last seen ${new Date(a.lastSeen).toISOString().slice(0, 10)}`;
    io.err(`  ${a.id}  ${a.names.join(', ')}  (${plural(a.questions, 'question')}, ${plural(a.votes, 'vote')}${seen})`);
  }
}

/**
 * `lectern forget <twitch|youtube> <viewer>`: erases a viewer in every stream; through the running
 * service's API when it runs (its memory and the dashboard follow), else in the database. A
 * service that runs but cannot be reached is not written behind its back.
 */
export async function forget(configPath: string, platform: PlatformId, query: string, io: Io, now = Date.now()): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const db = resolve(config.storage.path);
  if (!existsSync(db)) {
    io.err(`lectern forget: ${noDatabaseYet(db, 'nothing is stored about anyone')}`);
    // The same as a name nothing is stored about: nothing to forget (exit 2), not a failure.
    return EXIT.usage;
  }
  let report: ForgetReport;
  let told = false;
  try {
    if (runningSince(config, now) !== undefined) {
      const remote = await viaService(config, '/api/viewers/forget', { platform, viewer: query }, now);
      if (!remote) {
        io.err(
          `lectern forget: the service is running but its API cannot be reached${config.dashboard.enabled ? '' : ' (dashboard.enabled is false)'}: stop it and run this again, or run this where it can reach the dashboard`,
        );
        return EXIT.failure;
      }
      const body = remote.body as { accounts?: AccountSummary[] };
      if (remote.status === 409 && body.accounts) {
        printAccounts(io, platform, query, body.accounts);
        return EXIT.usage;
      }
      if (!remote.ok) {
        io.err(`lectern forget: ${remote.message}`);
        return remote.status === 404 || remote.status === 400 ? EXIT.usage : EXIT.failure;
      }
      report = remote.body as ForgetReport;
      told = true;
    } else {
      privateFiles();
      const store = Store.open(db);
      try {
        const r = resolveViewer(store, platform, query);
        if (r.kind === 'none') {
          io.err(`lectern forget: nothing is stored about a ${platform} viewer "${query}"`);
          return EXIT.usage;
        }
        if (r.kind === 'ambiguous') {
          printAccounts(io, platform, query, r.accounts);
          return EXIT.usage;
        }
        report = forgetViewer(store, r.viewer).report;
      } finally {
        store.close();
      }
    }
  } catch (err) {
    io.err(`lectern forget: ${toError(err).message}`);
    return isLecternError(err, 'INVALID_INPUT') ? EXIT.usage : EXIT.failure;
  }
  for (const line of describeForget(report)) io.out(line);
  // Backups are copies of the past: erasing there is deleting them (or waiting for them to be pruned).
  const older = listBackups(dataPaths(config).backups).length;
  if (older)
    io.out(
      `${older} backup${older === 1 ? '' : 's'} in ${dataPaths(config).backups}, made before now, still ${older === 1 ? 'holds' : 'hold'} them (docs/data.md).`,
    );
  io.err(told ? 'Told the running service.' : 'Written to the database (the service is not running).');
  return EXIT.ok;
}
