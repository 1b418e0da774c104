import Database from 'better-sqlite3';
import { copyFileSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lectern } from '../cli-helpers.js';
import { traces } from '../data-helpers.js';
import { advance, startHarness, stopOnClock, tempDir, untilClock, viewer, type Harness } from '../helpers.js';

/**
 * The streamer's data with the real service: `lectern backup` from another process during a burst
 * of questions, `lectern restore` round-tripping a copy, `lectern forget` through the running
 * service's API (and offline), and the service's own backups on its clock.
 */
let h: Harness | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  cleanups.splice(0).forEach((c) => c());
});

const TOKEN = 'data-test-dashboard-token-0123456789';

/** A config for the CLI on the harness's database (and its dashboard, when given). */
function cliConfig(x: Harness, name: string, extra = ''): string {
  const file = join(x.dir, name);
  writeFileSync(file, `twitch:\n  channel: teacher\nstorage: { path: ${JSON.stringify(x.config.storage.path)} }\n${extra}`);
  return file;
}

const ackedIn = (x: Harness) => new Set(x.sim.sent.flatMap((m) => [...m.text.matchAll(/@(v\d+) (?:noted as )?#(\d+)/g)].map((g) => `${g[1]}=${g[2]}`)));

describe('lectern backup', () => {
  it('a copy taken during a burst of !q opens and holds every question acknowledged before it began', async () => {
    h = await startHarness({ extraYaml: 'questions: { perViewer: { count: 0 } }\n' });
    const x = h;
    const topics = ['attention', 'softmax', 'dropout', 'layernorm', 'embeddings', 'optimizers', 'tokenizers', 'gradients', 'residuals', 'batching'];
    let i = 0;
    const ask = (n: number) => {
      for (let k = 0; k < n; k++, i++) x.sim.chat('teacher', viewer(`v${i}`), `!q question ${i}: how would ${topics[i % 10]} ${i} behave with seed${i}?`);
    };
    ask(100);
    await untilClock(x.clock, () => ackedIn(x).size === 100, 'the first hundred acknowledged', 20_000, 200);
    const out = join(x.dir, 'during-burst.db');
    const before = ackedIn(x);
    const p = lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', out]);
    // The burst goes on, acknowledged as it goes, while the other process copies the database.
    while (p.code === null && i < 5000) {
      ask(5);
      x.clock.advance(100);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await p.exited).toBe(0);
    expect(p.stdout.trim()).toBe(out);
    expect(p.stderr).toMatch(/^Backed up .*lectern\.db \(\d+ KB: 1 stream, \d+ questions?\)\.$/m);
    await untilClock(x.clock, () => x.app.bot.stats.processed === i, 'the burst read', 20_000, 200);

    const b = new Database(out, { readonly: true, fileMustExist: true });
    try {
      expect(b.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(b.pragma('journal_mode', { simple: true })).toBe('delete');
      const qs = b
        .prepare<[], { number: number; name: string; askers: number }>(
          'SELECT number, author_name AS name, asker_count AS askers FROM questions ORDER BY number',
        )
        .all();
      const held = new Set(qs.map((q) => `${q.name}=${q.number}`));
      for (const a of before) expect(held.has(a), `acknowledged ${a} is in the copy`).toBe(true);
      // One moment of the database: numbers without a gap, every question with its asker.
      expect(qs.map((q) => q.number)).toEqual(qs.map((_, k) => k + 1));
      expect(b.prepare<[], { n: number }>('SELECT count(*) AS n FROM question_askers').get()!.n).toBe(qs.length);
      expect(qs.every((q) => q.askers === 1)).toBe(true);
      // The service wrote on after the copy's moment.
      expect(qs.length).toBeGreaterThanOrEqual(100);
      expect(x.app.questions.all().length).toBeGreaterThan(qs.length);
      console.info(`backup during a burst: ${qs.length} questions in the copy, ${x.app.questions.all().length} written by the end of the burst`);
    } finally {
      b.close();
    }
    expect(statSync(out).mode & 0o777).toBe(0o600);

    // Without --out: dated, in backups/ next to the database, private.
    const d = lectern(['backup', '--config', cliConfig(x, 'cli.yaml')]);
    expect(await d.exited).toBe(0);
    const file = d.stdout.trim();
    expect(file).toMatch(/\/backups\/lectern-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/);
    expect(dirname(file)).toBe(join(x.dir, 'backups'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    const itself = lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', x.config.storage.path]);
    expect(await itself.exited).toBe(2);

    // --out never replaces a file that is not a Lectern database; an older backup it does replace.
    const notes = join(x.dir, 'notes.txt');
    writeFileSync(notes, 'important notes\n');
    const refused = lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', notes]);
    expect(await refused.exited).toBe(2);
    expect(refused.stderr).toContain(`--out ${notes} exists and is not a Lectern backup: it is left as it is`);
    expect(readFileSync(notes, 'utf8')).toBe('important notes\n');
    expect(await lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', out]).exited).toBe(0);
    // A folder gets the dated name inside it; folders that do not exist yet are made.
    const into = lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', join(x.dir, 'backups')]);
    expect(await into.exited).toBe(0);
    expect(dirname(into.stdout.trim())).toBe(join(x.dir, 'backups'));
    const deep = join(x.dir, 'new', 'folder', 'copy.db');
    expect(await lectern(['backup', '--config', cliConfig(x, 'cli.yaml'), '--out', deep]).exited).toBe(0);
    expect(statSync(deep).mode & 0o777).toBe(0o600);
  });
});

describe('lectern restore', () => {
  it('refuses while the service runs, checks the file, and round-trips, keeping the replaced database', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    h = await startHarness({ dir });
    const x = h;
    x.sim.chat('teacher', viewer('ann'), '!q what is a residual connection?');
    x.sim.chat('teacher', viewer('ben'), '!q why does dropout help?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    const cfg = cliConfig(x, 'cli.yaml');
    const copy = join(dir, 'copy.db');
    expect(await lectern(['backup', '-c', cfg, '-o', copy]).exited).toBe(0);
    x.sim.chat('teacher', viewer('cat'), '!q how big should the batch be?');
    await untilClock(x.clock, () => x.app.questions.all().length === 3, 'a third question');

    const running = lectern(['restore', '-c', cfg, copy]);
    expect(await running.exited).toBe(1);
    expect(running.stderr).toMatch(/the service is running .*stop it first/);
    // Files that are not a backup of this Lectern are refused before anything moves.
    writeFileSync(join(dir, 'junk.db'), 'not a database at all, just text');
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    copyFileSync(copy, join(dir, 'newer.db'));
    const newer = new Database(join(dir, 'newer.db'));
    newer.pragma('user_version = 999');
    newer.close();
    await stopOnClock(x.app, x.clock);
    for (const [file, why] of [
      ['junk.db', /not a database/],
      ['other.db', /not a Lectern database/],
      ['newer.db', /newer Lectern \(schema version 999; this one knows up to \d+\): update Lectern first/],
      ['missing.db', /There is no file/],
    ] as const) {
      const p = lectern(['restore', '-c', cfg, join(dir, file)]);
      expect(await p.exited, file).toBe(1);
      expect(p.stderr).toMatch(why);
    }
    expect(readdirSync(dir).filter((f) => f.includes('replaced'))).toEqual([]);

    const ok = lectern(['restore', '-c', cfg, copy]);
    expect(await ok.exited).toBe(0);
    expect(ok.stdout).toMatch(/^Restored .*copy\.db into .*lectern\.db: 1 stream, 2 questions \(schema version \d+\)\.$/m);
    expect(ok.stdout).toMatch(/The database it replaced is kept as .*lectern\.db\.replaced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\./);
    const aside = readdirSync(dir).filter((f) => f.startsWith('lectern.db.replaced-'));
    expect(aside).toHaveLength(1);
    const replaced = new Database(join(dir, aside[0]!), { readonly: true });
    expect(replaced.prepare<[], { n: number }>('SELECT count(*) AS n FROM questions').get()!.n).toBe(3);
    replaced.close();
    expect(statSync(x.config.storage.path).mode & 0o777).toBe(0o600);
    await h.close();

    // The service starts on the restored database and goes on from it.
    h = await startHarness({ dir });
    const y = h;
    const store = y.app.storeForReading();
    expect(store.questions.list(1).map((q) => q.text)).toEqual(['what is a residual connection?', 'why does dropout help?']);
    y.sim.chat('teacher', viewer('dan'), '!q what does weight decay do?');
    await untilClock(y.clock, () => y.app.questions.all().some((q) => q.text === 'what does weight decay do?'), 'a question after the restore');
  });
});

describe('lectern forget', () => {
  const zeb = { login: 'zebulon_q', displayName: 'Zebulon_Q', id: '90017' };

  it('goes through the running service (its memory and the dashboard follow), refuses a shared name, and works offline', async () => {
    h = await startHarness({ dashboardToken: TOKEN, extraYaml: 'dashboard: { port: 0 }\n' });
    const x = h;
    x.sim.chat('teacher', zeb, '!q how does rope scaling extend the context window?');
    x.sim.chat('teacher', viewer('bob'), '!q what is the kv cache for?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    x.sim.chat('teacher', zeb, '!up 2');
    x.sim.chat('teacher', zeb, 'hello chat, I am zebulon');
    x.sim.chat('teacher', viewer('bob'), '!q how does rope scaling extend the context window');
    x.sim.chat('teacher', zeb, '!q which optimiser do you use for pretraining?');
    await untilClock(
      x.clock,
      () => x.app.questions.all().length === 3 && x.app.questions.get(1)!.askerCount === 2 && x.app.questions.get(2)!.votes === 1,
      'asked and voted',
    );
    await advance(x.clock, 3_000); // the backlog takes them in
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0, 'acknowledged');
    const events: string[] = [];
    x.app.bus.on('question', ({ question, change }) => events.push(`${change} #${question.number}`));
    const base = x.app.dashboard!.url;
    const cfg = cliConfig(x, 'cli.yaml', `dashboard: { port: ${new URL(base).port} }\n`);
    const env = { LECTERN_DASHBOARD_TOKEN: TOKEN };

    const p = lectern(['forget', '-c', cfg, 'twitch', 'Zebulon_Q'], env);
    expect(await p.exited).toBe(0);
    expect(p.stdout).toBe(
      [
        'Forgot twitch viewer Zebulon_Q (account 90017):',
        '  1 question erased: #3 in stream 1',
        '  1 question others asked too, kept for them without this viewer: #1 in stream 1',
        '  1 vote withdrawn',
        '  1 backlog item dropped (no question left in it)',
        '',
      ].join('\n'),
    );
    expect(p.stderr).toBe('Told the running service.\n');
    expect(events.sort()).toEqual(['removed #3', 'unasked #1', 'unvoted #2']);
    expect(x.app.questions.get(1)).toMatchObject({ authorName: 'bob', askerCount: 1 });
    // Nothing of them in the database, and nothing on the dashboard: queue, chat, the bot's replies to them.
    expect(traces(x.config.storage.path, [zeb.id, zeb.login])).toEqual([]);
    const state = (await (await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      questions: Array<{ id: number; author: string }>;
      chat: Array<{ author: string; text: string }>;
    };
    expect(state.questions.map((q) => `#${q.id} ${q.author}`).sort()).toEqual(['#1 bob', '#2 bob']);
    expect(state.chat.length).toBeGreaterThan(0);
    expect(JSON.stringify(state)).not.toMatch(/zebulon/i);
    // The service goes on: the erased question is not a merge target any more, and the new one (to
    // which SQLite gives the erased row's id) joins the backlog.
    x.sim.chat('teacher', viewer('cat'), '!q which optimiser do you use for pretraining?');
    await untilClock(x.clock, () => x.app.questions.get(4)?.authorName === 'cat', 'a new question #4');
    expect(x.app.backlog.backlog.list().items.map((i) => i.text)).toContain('which optimiser do you use for pretraining?');

    // Two accounts went by "Sam": listed, nothing removed (exit 2).
    x.sim.chat('teacher', { login: 'sam_a', displayName: 'Sam', id: 's-1' }, '!q what is a tokenizer?');
    x.sim.chat('teacher', { login: 'sam_b', displayName: 'sam', id: 's-2' }, '!q how big is the vocabulary?');
    await untilClock(x.clock, () => x.app.questions.all().length === 5, 'the two Sams asked');
    const two = lectern(['forget', '-c', cfg, 'twitch', 'SAM'], env);
    expect(await two.exited).toBe(2);
    expect(two.stderr).toMatch(
      /"SAM" is a name of 2 twitch accounts; nothing was removed\. Name one by its account id:\n {2}s-1 {2}Sam {2}\(1 question, 0 votes, last seen \d{4}-\d\d-\d\d\)\n {2}s-2 {2}sam /,
    );
    const nobody = lectern(['forget', '-c', cfg, 'twitch', 'nobody_at_all'], env);
    expect(await nobody.exited).toBe(2);
    expect(nobody.stderr).toMatch(/Nothing is stored about a twitch viewer "nobody_at_all"/);
    // A running service whose API this config cannot reach is not written behind its back.
    const off = lectern(['forget', '-c', cliConfig(x, 'off.yaml', 'dashboard: { enabled: false }\n'), 'twitch', 's-1']);
    expect(await off.exited).toBe(1);
    expect(off.stderr).toMatch(/the service is running but its API cannot be reached \(dashboard\.enabled is false\)/);

    // From the chat panel: a line names its author; someone who only chatted has nothing stored,
    // and their lines and the bot's answers to them still leave the dashboard.
    x.sim.chat('teacher', { login: 'chatty', displayName: 'Chatty', id: 'c-7' }, '!topic');
    await untilClock(x.clock, () => x.sim.sent.some((m) => /@chatty/i.test(m.text)), 'the answer to chatty');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const shown = async () =>
      ((await (await fetch(`${base}/api/state`, { headers: auth })).json()) as { chat: Array<{ id: string; author: string; text: string }> }).chat;
    expect((await shown()).some((c) => /@chatty/i.test(c.text))).toBe(true);
    const line = (await shown()).find((c) => c.author === 'Chatty')!;
    const res = await fetch(`${base}/api/viewers/forget`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'twitch', line: line.id }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'c-7', names: ['Chatty'], questions: [], votes: 0 });
    expect((await shown()).filter((c) => /chatty/i.test(`${c.author} ${c.text}`))).toEqual([]);
    const gone = await fetch(`${base}/api/viewers/forget`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'twitch', line: line.id }),
    });
    expect(gone.status).toBe(404);

    // Offline: the database is written.
    await stopOnClock(x.app, x.clock);
    const offline = lectern(['forget', '-c', cfg, 'twitch', 's-1'], env);
    expect(await offline.exited).toBe(0);
    expect(offline.stdout).toMatch(/^Forgot twitch viewer Sam \(account s-1\):\n {2}1 question erased: #5 in stream 1\n/);
    expect(offline.stderr).toBe('Written to the database (the service is not running).\n');
    expect(traces(x.config.storage.path, ['s-1', 'sam_a'])).toEqual([]);
  });
});

describe('backups on the clock', () => {
  it('every storage.backup.everyHours, pruned to the newest keep; a failed one is logged and on the health list', async () => {
    h = await startHarness({ storage: 'backup: { everyHours: 1, keep: 2 }', dashboardToken: TOKEN, extraYaml: 'dashboard: { port: 0 }\n' });
    const x = h;
    const folder = join(x.dir, 'backups');
    const files = () => readdirSync(folder).sort();
    x.sim.chat('teacher', viewer('ann'), '!q what is a residual connection?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'a question');
    const written = () => x.logLines.filter((l) => l.includes('"backup written"')).length;
    // The first a minute after start (none was made before), then one an hour, the oldest pruned.
    await untilClock(x.clock, () => written() === 1, 'the first backup', 10_000, 10_000);
    for (let n = 2; n <= 3; n++) {
      await advance(x.clock, 3_600_000 - 60_000, 60_000);
      expect(written()).toBe(n - 1);
      await untilClock(x.clock, () => written() === n, `backup ${n}`, 10_000, 10_000);
    }
    expect(files()).toHaveLength(2);
    for (const f of files()) expect(f).toMatch(/^lectern-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/);
    const held = new Database(join(folder, files()[1]!), { readonly: true });
    expect(held.prepare<[], { n: number }>('SELECT count(*) AS n FROM questions').get()!.n).toBe(1);
    held.close();

    // Something else takes the folder's place: the next backup fails, said in the log and on the dashboard.
    renameSync(folder, `${folder}.kept`);
    writeFileSync(folder, 'not a folder');
    await untilClock(x.clock, () => x.app.health.list().some((p) => p.component === 'backup'), 'a failed backup', 10_000, 60_000);
    expect(x.logLines.some((l) => l.includes('"backup failed"') && l.includes('STORE_BACKUP_FAILED'))).toBe(true);
    const state = (await (await fetch(`${x.app.dashboard!.url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      problems: Array<{ component: string; code: string }>;
    };
    expect(state.problems).toContainEqual(expect.objectContaining({ component: 'backup', code: 'STORE_BACKUP_FAILED' }));
  });
});
