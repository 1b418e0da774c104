import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { destination as pinoDestination } from 'pino';
import { App } from './app.js';
import { credentialProblems, dataPaths, formatProblems, parseConfig, secretValues, type Config, type ConfigProblem } from './config/index.js';
import { createLogger, isLecternError, toError, type Logger } from './core/index.js';
import { runDemo } from './demo.js';
import { runDoctor } from './doctor.js';
import { exportFromDatabase, type StreamSelector } from './exporter.js';
import type { ExportFormat } from './export/index.js';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { loadKnowledge } from './knowledge-loader.js';
import { dashboardToken, hashOf, LOGIN_CODE_MS, overlayKey, tightenMode } from './dashboard/index.js';
import { TokenStore, twitchDeviceFlow, validateTwitchToken, youtubeLoopbackFlow } from './auth/index.js';
import { Store, type StreamSummary } from './store/index.js';

/** Exit codes: 0 ok, 2 invalid config or usage, 1 anything else. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

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
function privateFiles(): void {
  process.umask(0o077);
}

/** The data folder and the database in it, made private if they were created looser. */
function tightenDataFolder(config: Config, log: Logger): void {
  const dir = dirname(resolve(config.storage.path));
  const loose: string[] = [];
  try {
    if (existsSync(dir) && (statSync(dir).mode & 0o077) !== 0) {
      chmodSync(dir, 0o700);
      loose.push(dir);
    }
    for (const f of [config.storage.path, `${config.storage.path}-wal`, `${config.storage.path}-shm`, dataPaths(config).tokens, dataPaths(config).dashboardToken]) {
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
    return { ok: false, problems: [{ path: '(file)', message: `cannot read ${full}${code === 'ENOENT' ? ': no such file (copy config/lectern.example.yaml to start)' : `: ${code ?? toError(err).message}`}` }] };
  }
  return parseConfig(text, env, full);
}

function configOrExit(path: string, io: Io): Config | number {
  const r = readConfig(path, io.env);
  if (r.ok) return r.config;
  io.err(`Invalid configuration in ${path} (${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}):\n${formatProblems(r.problems)}`);
  return EXIT.usage;
}

/**
 * Runs `work` until it finishes or the process gets SIGINT/SIGTERM; a second signal, or a stop
 * that takes longer than `forceAfterMs`, exits at once with code 1.
 */
async function withSignals(log: Logger, work: (signal: AbortSignal) => Promise<void>, forceAfterMs = 20_000): Promise<void> {
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

/**
 * Holds the process until the signal, by intent: a timer that keeps the event loop alive, so the
 * service runs whatever is configured (a YouTube reader waiting between calls holds nothing open).
 * `onIdle` runs if the loop empties anyway.
 */
function untilSignal(signal: AbortSignal, onIdle: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const idle = () => {
      onIdle();
      done();
    };
    const done = () => {
      clearInterval(keepAlive);
      process.off('beforeExit', idle);
      resolve();
    };
    process.once('beforeExit', idle);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function start(configPath: string, io: Io): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  if (!config.twitch && !config.youtube) {
    io.err(`Invalid configuration in ${configPath}: nothing to connect to; add a twitch or youtube section (knowledge alone is enough for lectern search)`);
    return EXIT.usage;
  }
  const missing = credentialProblems(config);
  if (missing.length) {
    io.err(`Secrets missing from the environment for ${configPath} (${missing.length}):\n${formatProblems(missing)}`);
    return EXIT.usage;
  }
  privateFiles();
  let dash: ReturnType<typeof dashboardToken> | undefined;
  try {
    dash = config.dashboard.enabled ? dashboardToken(config.secrets.dashboardToken, dataPaths(config).dashboardToken) : undefined;
  } catch (err) {
    io.err(`lectern: ${toError(err).message}`);
    return EXIT.usage;
  }
  const logger = createLogger({ level: config.log.level, secrets: [...secretValues(config), ...(dash ? [dash.token] : [])], pretty: io.isTty });
  tightenDataFolder(config, logger);
  // The dashboard's address comes first, before the platforms' log lines.
  const showDashboard = (url: string, overlayUrl: string) => {
    if (!dash) return;
    const file = dataPaths(config).dashboardToken;
    // The token is shown only to a person at a terminal, never into a log (Docker, systemd).
    if (io.errIsTty && dash.created) io.err(`Dashboard: ${url}/?token=${dash.token}\n  (a new token, kept in ${file}; the link logs this browser in)\nOverlay for OBS: ${overlayUrl}`);
    else if (io.errIsTty) io.err(`Dashboard: ${url}/  (log in with the link \`lectern dashboard-url\` prints)\nOverlay for OBS: ${overlayUrl}`);
    else io.err(`Dashboard: ${url}/ (log in with the link \`lectern dashboard-url\` prints; the token is in ${file})`);
  };
  const app = new App({ config, logger, ...(dash ? { dashboardToken: dash.token } : {}), onDashboard: (d) => showDashboard(d.url, d.overlayUrl) });
  let code: number = EXIT.ok;
  await withSignals(logger, async (signal) => {
    try {
      await app.start();
    } catch (err) {
      logger.fatal({ code: isLecternError(err) ? err.code : 'INTERNAL', err: toError(err) }, 'could not start');
      io.err(`lectern: ${toError(err).message}`);
      code = isLecternError(err, 'CONFIG_INVALID') ? EXIT.usage : EXIT.failure;
      await app.stop();
      return;
    }
    logger.info({ platforms: app.statuses().map((s) => `${s.platform}:${s.state}`) }, 'lectern is running; Ctrl-C to stop');
    await untilSignal(signal, () => {
      // Nothing should ever let the service end by itself; if it does, say so and fail.
      logger.fatal('the service stopped on its own: nothing was left running');
      io.err('lectern: the service stopped on its own (this is a bug); exiting with 1');
      code = EXIT.failure;
    });
    await app.stop();
  });
  return code;
}

export async function doctor(configPath: string, io: Io): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const checks = await runDoctor(config);
  io.out('Lectern doctor');
  for (const c of checks) io.out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(9)} ${c.detail}`);
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failure;
}

/**
 * `lectern search`: ranked results for a query. With `json`, a JSON array of
 * `{ title, url, source, score }`, best first; with `stdin`, one query per input line and one
 * JSON array per output line, so an evaluation runs in one process.
 */
export async function search(configPath: string, opts: { query: string; json: boolean; stdin: boolean; limit: number; topic?: string }, io: Io, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const kb = loadKnowledge(config);
  const run = (q: string) => kb.search(q, { limit: opts.limit, ...(opts.topic ? { topic: opts.topic } : {}) }).map((r) => ({ title: r.title, url: r.url, source: r.source, score: r.score }));
  if (opts.stdin) {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) io.out(JSON.stringify(line.trim() ? run(line.trim()) : []));
    return EXIT.ok;
  }
  if (!opts.query.trim()) {
    io.err('lectern search: give a query, or --stdin');
    return EXIT.usage;
  }
  const results = run(opts.query);
  if (opts.json) io.out(JSON.stringify(results));
  else if (results.length === 0) io.out('No results.');
  else results.forEach((r, i) => io.out(`${String(i + 1).padStart(2)}. ${r.title}\n    ${r.url}  (${r.source}, score ${r.score})`));
  return EXIT.ok;
}

function tokenStoreFor(config: Config): TokenStore {
  return new TokenStore(dataPaths(config).tokens);
}

/** `lectern auth twitch`: Device Code Flow with the app's client id; stores the tokens. */
export async function authTwitch(configPath: string, io: Io, opts: { sleep?: (ms: number) => Promise<void> } = {}): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const auth = config.twitch?.auth;
  if (!auth) {
    io.err('lectern auth twitch: set twitch.auth.clientId (your Twitch application\'s client id) in the config first');
    return EXIT.usage;
  }
  const scopes = ['chat:read', 'chat:edit', ...(config.twitch?.markers ? ['channel:manage:broadcast'] : [])];
  try {
    const client = { clientId: auth.clientId, ...(config.secrets.twitchClientSecret ? { clientSecret: config.secrets.twitchClientSecret } : {}) };
    const token = await twitchDeviceFlow({
      client,
      scopes,
      endpoints: auth,
      show: (uri, code) => io.err(`To link the bot's Twitch account, open ${uri} while logged in as ${config.twitch?.username ?? 'the bot account'} and enter the code ${code}. Waiting…`),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
    const who = await validateTwitchToken(auth, token.accessToken!);
    tokenStoreFor(config).set('twitch', { ...token, ...(who ? { login: who.login } : {}) });
    io.out(`Linked Twitch account ${who?.login ?? ''} with scopes ${token.scopes.join(' ')}.`);
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern auth twitch: ${toError(err).message}`);
    return EXIT.failure;
  }
}

/** `lectern auth youtube`: installed-app OAuth with a loopback redirect and PKCE. */
export async function authYouTube(configPath: string, io: Io, opts: { readOnly: boolean; open?: (url: string) => void }): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const y = config.youtube;
  const { youtubeClientId: clientId, youtubeClientSecret: clientSecret } = config.secrets;
  if (!y || !clientId || !clientSecret) {
    io.err('lectern auth youtube: needs a youtube section in the config and YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET (an OAuth client of type "Desktop app") in the environment');
    return EXIT.usage;
  }
  try {
    const token = await youtubeLoopbackFlow({
      clientId,
      clientSecret,
      authorizeUrl: y.oauth.authorizeUrl,
      tokenUrl: y.oauth.tokenUrl,
      readOnly: opts.readOnly,
      show: (url) => {
        io.err(`Open this address in a browser and allow Lectern ${opts.readOnly ? 'to read' : 'to read and post in'} your live chat:\n${url}`);
        opts.open?.(url);
      },
    });
    tokenStoreFor(config).set('youtube', token);
    io.out(`Linked YouTube with scope ${token.scopes.join(' ')}. Note: consent screens left in "Testing" issue refresh tokens that expire after 7 days.`);
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern auth youtube: ${toError(err).message}`);
    return EXIT.failure;
  }
}

/** `lectern export`: one format of one stream session, to a file or stdout. */
export function exportStream(configPath: string, opts: { stream: StreamSelector; format: ExportFormat; out?: string }, io: Io, now = Date.now()): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  // An export holds viewers' names and words: readable by the user only.
  privateFiles();
  try {
    const r = exportFromDatabase(config.storage.path, opts.stream, opts.format, config.stream.vodUrl, now);
    for (const w of r.warnings) io.err(`lectern export: ${w}`);
    if (opts.out) {
      writeFileSync(opts.out, r.text);
      io.err(`Wrote ${opts.format} of stream session #${r.streamId} to ${resolve(opts.out)}`);
    } else io.out(r.text.replace(/\n$/, ''));
    return EXIT.ok;
  } catch (err) {
    io.err(`lectern export: ${toError(err).message}`);
    return EXIT.failure;
  }
}

/**
 * For container health checks: the running service heartbeats its stream session every minute,
 * so a fresh heartbeat on an open session means the process is alive and its store works.
 */
export function healthcheck(configPath: string, io: Io, now = Date.now()): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  let beat: number | undefined;
  try {
    beat = Store.inspect(config.storage.path).heartbeatAt;
  } catch {
    beat = undefined; // No readable database: not healthy.
  }
  // The service heartbeats every minute, live or waiting for the next broadcast.
  if (beat !== undefined && now - beat < HEALTHY_WITHIN_MS) {
    io.out(`healthy: heartbeat ${Math.round((now - beat) / 1000)} s ago`);
    return EXIT.ok;
  }
  io.out('unhealthy: no running service with a recent heartbeat');
  return EXIT.failure;
}

/**
 * `lectern dashboard-url`: a one-time login link for the dashboard (valid 10 minutes, used once;
 * the running service reads it from the database) and the overlay's address. Works through
 * `docker compose exec`, with no terminal and no secret in the environment.
 */
export function dashboardUrl(configPath: string, io: Io, now = Date.now()): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const d = config.dashboard;
  if (!d.enabled) {
    io.err('lectern dashboard-url: the dashboard is off (dashboard.enabled: false)');
    return EXIT.usage;
  }
  const file = dataPaths(config).dashboardToken;
  const token = config.secrets.dashboardToken ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (!token) {
    io.err(`lectern dashboard-url: there is no dashboard token yet (${file}): start the service once first`);
    return EXIT.failure;
  }
  privateFiles();
  const code = randomBytes(24).toString('base64url');
  try {
    const store = Store.open(config.storage.path);
    try {
      store.dashboardAuth.addLogin(hashOf(code), now + LOGIN_CODE_MS);
    } finally {
      store.close();
    }
  } catch (err) {
    io.err(`lectern dashboard-url: ${toError(err).message}`);
    return EXIT.failure;
  }
  const host = d.host === '0.0.0.0' || d.host === '::' ? '127.0.0.1' : d.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${d.port}`;
  io.out(`${origin}/login?code=${code}`);
  io.err(`A login link for the dashboard, valid once within ${LOGIN_CODE_MS / 60_000} minutes${d.publicOrigins.length ? ` (from elsewhere, use ${d.publicOrigins.map((o) => `${o}/login?code=…`).join(' or ')})` : ''}.`);
  io.err(`Overlay for OBS (read-only): ${origin}/overlay?key=${overlayKey(token)}`);
  return EXIT.ok;
}

/** `lectern streams`: every stream session, newest first, with its ids for `export --stream`. */
export function streams(configPath: string, opts: { json: boolean }, io: Io, now = Date.now()): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  let list: StreamSummary[];
  try {
    const store = Store.openReadOnly(config.storage.path);
    try {
      list = store.streams.summaries();
    } finally {
      store.close();
    }
  } catch (err) {
    io.err(`lectern streams: ${toError(err).message}`);
    return EXIT.failure;
  }
  const rows = list.map((s) => ({
    id: s.id,
    startedAt: new Date(s.startedAt).toISOString(),
    endedAt: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
    durationSeconds: Math.max(0, Math.round(((s.endedAt ?? Math.max(s.lastSeenAt, now)) - s.startedAt) / 1000)),
    running: s.endedAt === null,
    titles: s.titles,
    questions: s.questions,
  }));
  if (opts.json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.out('No stream sessions yet.');
    return EXIT.ok;
  }
  for (const r of rows) {
    const d = r.durationSeconds;
    const duration = d >= 3600 ? `${Math.floor(d / 3600)} h ${Math.round((d % 3600) / 60)} min` : `${Math.round(d / 60)} min`;
    const titles = Object.entries(r.titles).map(([p, t]) => `${p}: "${t}"`).join(', ');
    io.out(`#${String(r.id).padEnd(4)} ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC  ${duration.padStart(9)}${r.running ? ' (running)' : ''}  ${r.questions.all} questions (${r.questions.open} open, ${r.questions.answered} answered)${titles ? `  ${titles}` : ''}`);
  }
  return EXIT.ok;
}

const HEALTHY_WITHIN_MS = 3 * 60_000;

export async function demo(durationSeconds: number | undefined, io: Io): Promise<number> {
  const dataDir = resolve('data', 'demo');
  // Every demo starts from a fresh database: a second run must not resume the first one's stream.
  for (const f of ['lectern.db', 'lectern.db-wal', 'lectern.db-shm', 'lectern.log']) rmSync(join(dataDir, f), { force: true });
  mkdirSync(dataDir, { recursive: true });
  // The log goes to its own file, so it never interleaves with the transcript on stdout.
  const logFile = join(dataDir, 'lectern.log');
  const logger = createLogger({ level: 'info', destination: pinoDestination({ dest: logFile, sync: true }) });
  let code: number = EXIT.ok;
  await withSignals(logger, async (signal) => {
    try {
      await runDemo({ dataDir, logger, logFile, write: io.out, signal, ...(durationSeconds ? { durationSeconds } : {}) });
    } catch (err) {
      io.err(`lectern demo: ${toError(err).message}`);
      code = EXIT.failure;
    }
  });
  return code;
}
