import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ALIVE_WITHIN_MS, loadKnowledge, noteFinder } from '../app/index.js';
import { Backlog, backlogDraft, topicsReport } from '../backlog/index.js';
import { topicKey } from '../topics/index.js';
import { dataPaths } from '../config/index.js';
import { systemClock, toError } from '../core/index.js';
import { hashOf, LOGIN_CODE_MS, overlayKey } from '../dashboard/index.js';
import { backlogToMarkdown, EXPORT_EXTENSIONS, exportFromDatabase, type ExportFormat, type StreamSelector } from '../export/index.js';
import { Store, type StreamSummary } from '../store/index.js';
import { runDoctor } from './doctor.js';
import { configOrExit, EXIT, noDatabaseYet, plural, privateFiles, type Io } from './io.js';

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
export async function search(
  configPath: string,
  opts: { query: string; json: boolean; stdin: boolean; limit: number; topic?: string },
  io: Io,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const kb = loadKnowledge(config);
  // A folder or note that could not be read is said, not answered as "No results.".
  for (const f of kb.stats().failedFiles) io.err(`lectern search: not searched: ${f.file}: ${f.error}`);
  const run = (q: string) =>
    kb.search(q, { limit: opts.limit, topic: opts.topic }).map((r) => ({ title: r.title, url: r.url, source: r.source, score: r.score }));
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

/** Every topic's title once (by the key the backlog's filter compares), most asked first, then those only on backlog items. */
function knownTopics(store: Store, backlog: Backlog): string[] {
  const seen = new Set<string>();
  const titles: string[] = [];
  for (const t of [...topicsReport(store, backlog).topics.map((r) => r.title), ...backlog.topicNames()]) {
    const key = topicKey(t);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    titles.push(t);
  }
  return titles;
}

/** Writes an export to `file`, making the folders on the way (private) as `--all` does. */
function writeOut(file: string, text: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true, mode: 0o700 });
  writeFileSync(file, text);
}

/**
 * `lectern export`: one format of one stream session (to a file or stdout), of every session
 * (`--all`, one file each in a folder), or a post draft over the backlog (`--topic`, `--backlog`).
 */
export function exportStream(
  configPath: string,
  opts: { stream?: StreamSelector; format: ExportFormat; out?: string; all?: boolean; topic?: string; backlog?: boolean },
  io: Io,
  now = Date.now(),
): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  const overBacklog = opts.topic !== undefined || opts.backlog === true;
  if (overBacklog && opts.format !== 'md') {
    io.err('lectern export: --topic and --backlog write a Markdown draft: use --format md');
    return EXIT.usage;
  }
  if (overBacklog && opts.all) {
    io.err('lectern export: --all exports every stream; --topic and --backlog draft from the backlog: choose one');
    return EXIT.usage;
  }
  if (opts.stream !== undefined && (opts.all || overBacklog)) {
    io.err(
      `lectern export: --stream picks one stream session; ${opts.all ? '--all exports every one' : '--topic and --backlog draft across every stream'}: choose one`,
    );
    return EXIT.usage;
  }
  if (!existsSync(config.storage.path)) {
    io.err(`lectern export: ${noDatabaseYet(config.storage.path)}`);
    return EXIT.failure;
  }
  // An export holds viewers' names and words: readable by the user only.
  privateFiles();
  try {
    if (overBacklog) {
      const store = Store.open(config.storage.path);
      let text: string;
      let topic: string | null = null;
      try {
        const backlog = new Backlog({ store, clock: systemClock, halfLifeDays: config.backlog.halfLifeDays, noteFor: noteFinder(loadKnowledge(config)) });
        const asked = opts.topic?.trim() || null;
        if (asked !== null) {
          const known = knownTopics(store, backlog);
          // The draft is titled as the topic was, not as it was typed on the command line.
          topic = known.find((t) => topicKey(t) === topicKey(asked)) ?? null;
          if (topic === null) {
            const some =
              known.length === 0
                ? 'there are none yet'
                : `known topics: ${known
                    .slice(0, 8)
                    .map((t) => `"${t}"`)
                    .join(' ')}${known.length > 8 ? ' …' : ''}`;
            io.err(`lectern export: No topic "${asked}"; ${some}`);
            return EXIT.usage;
          }
        }
        text = backlogToMarkdown(backlogDraft(store, backlog, topic, config.stream.vodUrl, now));
      } finally {
        store.close();
      }
      if (opts.out) {
        writeOut(opts.out, text);
        io.err(`Wrote the backlog draft${topic ? ` for "${topic}"` : ''} to ${resolve(opts.out)}`);
      } else io.out(text.replace(/\n$/, ''));
      return EXIT.ok;
    }
    const kb = loadKnowledge(config);
    const extras = (store: Store) => {
      const backlog = new Backlog({ store, clock: systemClock });
      return { noteFor: noteFinder(kb), answeredBy: (id: number) => backlog.answeredBy(id) };
    };
    const exported = exportFromDatabase(config.storage.path, opts.all ? 'all' : (opts.stream ?? 'latest'), opts.format, config.stream.vodUrl, now, extras);
    for (const r of exported) for (const w of r.warnings) io.err(`lectern export: stream #${r.streamId}: ${w}`);
    if (opts.all) {
      const dir = resolve(opts.out ?? 'exports');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const r of exported) writeFileSync(join(dir, `stream-${r.streamId}.${EXPORT_EXTENSIONS[opts.format]}`), r.text);
      io.err(`Wrote ${opts.format} of ${exported.length} stream session${exported.length === 1 ? '' : 's'} to ${dir}`);
    } else if (opts.out) {
      writeOut(opts.out, exported[0]!.text);
      io.err(`Wrote ${opts.format} of stream session #${exported[0]!.streamId} to ${resolve(opts.out)}`);
    } else io.out(exported[0]!.text.replace(/\n$/, ''));
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
  let running = false;
  let listening: string | undefined;
  try {
    const store = Store.open(config.storage.path);
    try {
      store.dashboardAuth.addLogin(hashOf(code), now + LOGIN_CODE_MS);
      running = now - Number(store.platformState.get('lectern', 'heartbeat') ?? 0) < ALIVE_WITHIN_MS;
      listening = store.platformState.get('lectern', 'dashboard') ?? undefined;
    } finally {
      store.close();
    }
  } catch (err) {
    io.err(`lectern dashboard-url: ${toError(err).message}`);
    return EXIT.failure;
  }
  const host = d.host === '0.0.0.0' || d.host === '::' ? '127.0.0.1' : d.host;
  const configured = `http://${host.includes(':') ? `[${host}]` : host}:${d.port}`;
  // The running service's own address wins: an edited port applies only at its next restart.
  const origin = running && listening ? listening : configured;
  io.out(`${origin}/login?code=${code}`);
  if (origin !== configured) io.err(`(The running service listens at ${origin}; the config's ${configured} applies at its next restart.)`);
  io.err(
    `A login link for the dashboard, valid once within ${LOGIN_CODE_MS / 60_000} minutes${d.publicOrigins.length ? ` (from elsewhere, use ${d.publicOrigins.map((o) => `${o}/login?code=…`).join(' or ')})` : ''}.`,
  );
  io.err(`Overlay for OBS (read-only): ${origin}/overlay?key=${overlayKey(token)}`);
  if (!running) io.err('The service is not running now, so nothing answers there yet: run `lectern start` first.');
  return EXIT.ok;
}

/** `lectern streams`: every stream session, newest first, with its ids for `export --stream`. */
export function streams(configPath: string, opts: { json: boolean }, io: Io, now = Date.now()): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  if (!existsSync(config.storage.path)) {
    io.err(`lectern streams: ${noDatabaseYet(config.storage.path)}`);
    return EXIT.failure;
  }
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
    const titles = Object.entries(r.titles)
      .map(([p, t]) => `${p}: "${t}"`)
      .join(', ');
    io.out(
      `#${String(r.id).padEnd(4)} ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC  ${duration.padStart(9)}${r.running ? ' (running)' : ''}  ${plural(r.questions.all, 'question')} (${r.questions.open} open, ${r.questions.answered} answered)${titles ? `  ${titles}` : ''}`,
    );
  }
  return EXIT.ok;
}

const HEALTHY_WITHIN_MS = 3 * 60_000;
