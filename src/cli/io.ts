import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dataPaths, formatProblems, parseConfig, type Config, type ConfigProblem } from '../config/index.js';
import { toError, type Logger } from '../core/index.js';
import { tightenMode } from '../dashboard/index.js';

/** Exit codes: 0 ok, 2 invalid config or usage, 1 anything else. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** "1 stream", "2 streams", "0 streams": every count the CLI prints goes through this. */
/**
 * What every command that needs the database says when there is none yet, after "lectern <command>: "
 * (one wording, lower case like the other messages there).
 */
export const noDatabaseYet = (path: string, then = 'start the service once first'): string => `there is no database at ${path} yet: ${then}`;

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** stdout is a terminal (pretty logs). */
  readonly isTty: boolean;
  /** stderr is a terminal: a person reads it, not a log collector (the token may be shown). */
  readonly errIsTty: boolean;
}

export const processIo = (): Io => ({
  env: process.env,
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  isTty: Boolean(process.stdout.isTTY),
  errIsTty: Boolean(process.stderr.isTTY),
});

/**
 * Files Lectern creates hold viewers' data or secrets (the database, exports, tokens): readable by
 * the user only (0600, folders 0700), whatever the shell's umask says.
 */
export function privateFiles(): void {
  process.umask(0o077);
}

/** The data folder and the database in it, made private if they were created looser. */
export function tightenDataFolder(config: Config, log: Logger): void {
  const dir = dirname(resolve(config.storage.path));
  const loose: string[] = [];
  try {
    // Only a folder: a file where the folder should be is not the user's data to change (start
    // then refuses the path, naming storage.path).
    if (existsSync(dir) && !statSync(dir).isDirectory()) return;
    if (existsSync(dir) && (statSync(dir).mode & 0o077) !== 0) {
      chmodSync(dir, 0o700);
      loose.push(dir);
    }
    for (const f of [
      config.storage.path,
      `${config.storage.path}-wal`,
      `${config.storage.path}-shm`,
      dataPaths(config).tokens,
      dataPaths(config).dashboardToken,
    ]) {
      if (existsSync(f) && tightenMode(f)) loose.push(f);
    }
  } catch (err) {
    log.warn({ err: toError(err).message }, 'could not make the data folder private');
  }
  if (loose.length) log.warn({ files: loose }, 'data files were readable by others: made private (0600, folder 0700)');
}

/** Reads and validates the config file; the only place that touches the file and environment. */
export function readConfig(path: string, env: Io['env']): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problems: [
        {
          path: '(file)',
          message: `cannot read ${full}${code === 'ENOENT' ? ': no such file (copy config/lectern.example.yaml to start)' : `: ${code ?? toError(err).message}`}`,
        },
      ],
    };
  }
  return parseConfig(text, env, full);
}

export function configOrExit(path: string, io: Io): Config | number {
  const r = readConfig(path, io.env);
  if (r.ok) return r.config;
  io.err(`Invalid configuration in ${path} (${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}):\n${formatProblems(r.problems)}`);
  return EXIT.usage;
}

/**
 * Runs `work` until it finishes or the process gets SIGINT/SIGTERM; a second signal, or a stop
 * that takes longer than `forceAfterMs`, exits at once with code 1.
 */
export async function withSignals(log: Logger, work: (signal: AbortSignal) => Promise<void>, forceAfterMs = 20_000): Promise<void> {
  const ctrl = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal: name }, 'second signal: exiting now');
      process.exit(EXIT.failure);
    }
    log.info({ signal: name }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(EXIT.failure);
    }, forceAfterMs).unref();
    ctrl.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', (reason) => log.error({ err: toError(reason) }, 'unhandled rejection (kept running)'));
  try {
    await work(ctrl.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
