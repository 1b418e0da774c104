import { existsSync, readFileSync } from 'node:fs';
import { ALIVE_WITHIN_MS, loadKnowledge, noteFinder } from '../app/index.js';
import { Backlog, paidText, topicsReport, type BacklogEntry, type EntryState, type Link } from '../backlog/index.js';
import { dataPaths, type Config } from '../config/index.js';
import { LecternError, systemClock, toError } from '../core/index.js';
import { Store } from '../store/index.js';
import { configOrExit, EXIT, noDatabaseYet, plural, privateFiles, type Io } from './io.js';

/** The service counts as running while its heartbeat (every minute) is this fresh (the same window `start` uses). */
export const RUNNING_WITHIN_MS = ALIVE_WITHIN_MS;

/**
 * Opens the database for a backlog command (read-write: questions not placed yet are placed, in a
 * transaction that waits for the running service's), with the knowledge base for note sections.
 */
function open(config: Config, withNotes: boolean): { store: Store; backlog: Backlog; noteFor?: (text: string) => Link | null } {
  if (!existsSync(config.storage.path)) throw new LecternError('STORE_OPEN_FAILED', noDatabaseYet(config.storage.path));
  privateFiles();
  const store = Store.open(config.storage.path);
  const noteFor = withNotes ? noteFinder(loadKnowledge(config)) : undefined;
  return { store, backlog: new Backlog({ store, clock: systemClock, halfLifeDays: config.backlog.halfLifeDays, noteFor }), noteFor };
}

/** What `backlog --json` prints for an item (the fields are documented in docs/questions.md). */
export function backlogJson(e: BacklogEntry) {
  return {
    id: e.id,
    text: e.text,
    state: e.state,
    score: e.score,
    askerCount: e.askerCount,
    votes: e.votes,
    paid: e.paid,
    streams: e.streams,
    topics: e.topics,
    note: e.note,
    answeredBy: e.answeredBy?.url ?? null,
    answeredByTitle: e.answeredBy?.title ?? null,
    answeredAt: e.answeredAt === null ? null : new Date(e.answeredAt).toISOString(),
    answeredLive: e.answeredLive ? { streamId: e.answeredLive.streamId, at: new Date(e.answeredLive.at).toISOString() } : null,
    firstAskedAt: new Date(e.firstAskedAt).toISOString(),
    lastAskedAt: new Date(e.lastAskedAt).toISOString(),
  };
}

/** `lectern backlog`: every unanswered question across streams, best first, grouped by topic and note. */
export function backlog(configPath: string, opts: { json: boolean; limit?: number; topic?: string; state: EntryState | 'all' }, io: Io): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  let items: BacklogEntry[];
  let total: number;
  try {
    const o = open(config, true);
    try {
      ({ items, total } = o.backlog.list({ state: opts.state, topic: opts.topic, limit: opts.limit }));
    } finally {
      o.store.close();
    }
  } catch (err) {
    io.err(`lectern backlog: ${toError(err).message}`);
    return EXIT.failure;
  }
  if (opts.json) {
    io.out(JSON.stringify(items.map(backlogJson), null, 2));
    return EXIT.ok;
  }
  if (items.length === 0) {
    io.out(opts.state === 'open' ? 'The backlog is empty: no unanswered questions.' : 'No items.');
    return EXIT.ok;
  }
  io.out(
    `${plural(total, 'item')}${opts.limit !== undefined && total > items.length ? `, the best ${items.length}` : ''}, best first (lectern answer <#> --url <post> when a post answers one):`,
  );
  for (const e of items) {
    const paid = e.paid.length ? `, ${e.paid.join(' + ')} paid` : '';
    io.out(`#${String(e.id).padEnd(4)} ${e.score.toFixed(2).padStart(6)}  ${e.text}`);
    io.out(
      `       ${plural(e.askerCount, 'asker')}, ${plural(e.votes, 'vote')}${paid}, asked in ${plural(e.streams.length, 'stream')} (${e.streams.map((s) => `#${s}`).join(' ')})${e.state !== 'open' ? `; ${e.state}` : ''}`,
    );
    if (e.topics.length) io.out(`       topics: ${e.topics.join(', ')}`);
    if (e.note) io.out(`       notes: ${e.note.title} ${e.note.url}`);
  }
  const group = (key: (e: BacklogEntry) => readonly string[]) => {
    const m = new Map<string, BacklogEntry[]>();
    for (const e of items) for (const k of key(e)) m.set(k, [...(m.get(k) ?? []), e]);
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  };
  io.out('');
  io.out('By topic:');
  for (const [topic, list] of group((e) => (e.topics.length ? e.topics : ['(no topic)']))) io.out(`  ${topic}: ${list.map((e) => `#${e.id}`).join(' ')}`);
  if (!items.some((e) => e.note)) {
    io.out('By note section: none yet (no question listed matches a section of the notes)');
    return EXIT.ok;
  }
  io.out('By note section (the notes to extend):');
  for (const [note, list] of group((e) => [e.note ? `${e.note.title} ${e.note.url}` : '(no matching section)']))
    io.out(`  ${note}: ${list.map((e) => `#${e.id}`).join(' ')}`);
  return EXIT.ok;
}

/** `lectern topics`: engagement by topic, per stream and across streams. */
export function topics(configPath: string, opts: { json: boolean }, io: Io): number {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  let report: ReturnType<typeof topicsReport>;
  try {
    const o = open(config, true);
    try {
      report = topicsReport(o.store, o.backlog, o.noteFor);
    } finally {
      o.store.close();
    }
  } catch (err) {
    io.err(`lectern topics: ${toError(err).message}`);
    return EXIT.failure;
  }
  if (opts.json) {
    io.out(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  if (report.topics.length === 0) {
    io.out('No topics yet: set one with !topic set <title>, from the dashboard, or by saving a note.');
    return EXIT.ok;
  }
  io.out('Topics across streams, by questions (what to write next):');
  for (const t of report.topics) {
    const paid = t.paid.length ? `, ${paidText(t.paid)} paid` : '';
    io.out(
      `  ${t.title}: ${plural(t.questions, 'question')} (${t.unanswered} unanswered), ${plural(t.votes, 'vote')}${paid}; ${t.minutes} min in ${plural(t.streams.length, 'stream')}, ${t.linesPerMinute} lines/min, ${plural(t.chatters, 'chatter')}${t.note ? `; notes: ${t.note.url}` : ''}`,
    );
  }
  io.out('Per stream:');
  for (const t of report.perStream) {
    io.out(
      `  #${t.streamId} ${t.title}: ${t.minutes} min, ${t.linesPerMinute} lines/min, ${plural(t.chatters, 'chatter')}, ${plural(t.questions, 'question')}, ${plural(t.votes, 'vote')}${t.paid.length ? `, ${paidText(t.paid)} paid` : ''}`,
    );
  }
  return EXIT.ok;
}

/**
 * Through the running service's API when it runs (its dashboard updates live and follow-ups start
 * at once); `undefined` when it does not run or cannot be reached, so the database is written.
 */
export async function viaService(
  config: Config,
  path: string,
  body: unknown,
  now: number,
): Promise<{ ok: boolean; status: number; message: string; body: unknown } | undefined> {
  const d = config.dashboard;
  if (!d.enabled) return undefined;
  const beat = Store.inspect(config.storage.path).heartbeatAt;
  if (beat === undefined || now - beat > RUNNING_WITHIN_MS) return undefined;
  const file = dataPaths(config).dashboardToken;
  const token = config.secrets.dashboardToken ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (!token) return undefined;
  const host = d.host === '0.0.0.0' || d.host === '::' ? '127.0.0.1' : d.host;
  try {
    const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${d.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const parsed = (await res.json().catch(() => ({}))) as { message?: string };
    return { ok: res.ok, status: res.status, message: parsed.message ?? res.statusText, body: parsed };
  } catch {
    return undefined;
  }
}

/** `lectern answer <item> --url URL [--title T]` or `--live`: marks a backlog item answered. */
export async function answerItem(
  configPath: string,
  item: number,
  opts: { url?: string; title?: string; live: boolean },
  io: Io,
  now = Date.now(),
): Promise<number> {
  const config = configOrExit(configPath, io);
  if (typeof config === 'number') return config;
  if (Boolean(opts.url) === opts.live) {
    io.err(
      opts.live
        ? 'lectern answer: give --url <the post that answers it> or --live (answered on stream), not both'
        : 'lectern answer: give --url <the post that answers it> or --live (answered on stream)',
    );
    return EXIT.usage;
  }
  try {
    let title = opts.title;
    if (opts.url && !title) title = loadKnowledge(config).articleTitle(opts.url);
    const action = opts.live ? 'answer-live' : 'answer';
    const remote = existsSync(config.storage.path)
      ? await viaService(config, `/api/backlog/${item}/${action}`, opts.live ? {} : { url: opts.url, title: title ?? '' }, now)
      : undefined;
    let entry: BacklogEntry;
    if (remote) {
      if (!remote.ok) {
        io.err(`lectern answer: ${remote.message}`);
        return remote.status === 404 || remote.status === 400 ? EXIT.usage : EXIT.failure;
      }
      entry = remote.body as BacklogEntry;
    } else {
      const o = open(config, false);
      try {
        entry = opts.live ? o.backlog.answer(item, 'live') : o.backlog.answer(item, { url: opts.url!, title: title ?? '' });
      } finally {
        o.store.close();
      }
    }
    const askers = plural(entry.askerCount, 'asker');
    io.out(
      opts.live
        ? `#${entry.id} marked answered on stream: "${entry.text}"`
        : `#${entry.id} answered by ${entry.answeredBy?.title ?? opts.url}: "${entry.text}"; its ${askers} will be told once in a later stream${config.followUp.enabled ? '' : ' (followUp.enabled is false: they will not)'}`,
    );
    io.err(remote ? 'Told the running service.' : 'Written to the database (the service is not running).');
    return EXIT.ok;
  } catch (err) {
    const e = toError(err);
    io.err(`lectern answer: ${e.message}`);
    return err instanceof LecternError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_INPUT') ? EXIT.usage : EXIT.failure;
  }
}
