import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Backlog, backlogDraft } from '../../src/backlog/index.js';
import { ManualClock, type ChatEvent, type PlatformId } from '../../src/core/index.js';
import { describeForget, forgetViewer, resolveViewer } from '../../src/records/index.js';
import { addresses } from '../../src/app/data.js';
import { backlogToMarkdown, collectExport, EXPORT_FORMATS, render } from '../../src/export/index.js';
import { QuestionLog } from '../../src/questions/index.js';
import { Store, type StreamRow } from '../../src/store/index.js';
import { TopicTracker } from '../../src/topics/index.js';
import { rows, textCells, traces } from '../data-helpers.js';
import { tempDir } from '../helpers.js';

const DAY = 86_400_000;
let n = 0;
const say =
  (platform: PlatformId, id: string, displayName: string) =>
  (text: string): ChatEvent => ({
    platform,
    channel: 'teacher',
    id: `m-${++n}`,
    kind: 'message',
    text,
    time: 0,
    author: { id, login: displayName.replace(/^@/, '').toLowerCase(), displayName, roles: [] },
  });

/** The viewer to forget, two others, and someone on YouTube whose handle looks alike. */
const ZEB = { id: 'tw-90017', name: 'Zebulon_Q' };
const zeb = say('twitch', ZEB.id, ZEB.name);
const alice = say('twitch', 'tw-1001', 'Alice');
const bob = say('twitch', 'tw-1002', 'bob');
const ytZeb = say('youtube', 'UCzzzzzzzzzzzzzzzzzzzzzz', '@zebulon.q');

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Two streams in a real SQLite file: every table that can hold a viewer gets some of Zebulon. */
function world() {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'lectern.db');
  const store = Store.open(path);
  cleanups.push(() => {
    store.close();
    cleanup();
  });
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 18));
  let stream: StreamRow = store.streams.begin(clock.now(), clock.now());
  const topics = new TopicTracker({ repo: store.topics, streamId: () => stream.id, clock });
  const log = new QuestionLog({ repo: store.questions, stream: () => stream, topics, clock, maxLength: 300 });
  const backlog = new Backlog({ store, clock });
  const ask = (e: ChatEvent) => {
    clock.advance(1000);
    const r = log.ask(e, e.text, 'command');
    if (r.kind === 'refused') throw new Error(r.reason);
    return r.question;
  };
  const next = () => {
    store.streams.end(stream.id, clock.now());
    clock.advance(7 * DAY);
    stream = store.streams.begin(clock.now(), clock.now());
    topics.reset();
  };

  // Stream 1. Zebulon, a moderator, sets the topic.
  topics.set('Positional encodings', 'command', 'twitch:zebulon_q');
  const rope = ask(zeb('how does rope scaling extend the context window'));
  log.vote(alice('!up'), rope.number);
  const kv = ask(alice('what is the kv cache for'));
  log.vote(zeb('!up'), kv.number);
  const norm = ask(zeb('why normalise before the attention layer'));
  ask(bob('why normalise before the attention layer?'));
  const optimiser = ask(zeb('which optimiser do you use for pretraining'));
  ask(alice('zebulon_q asked a good one earlier, what about alibi'));
  const kernels = ask(zeb('tell me about gpu kernel fusion tricks'));
  log.highlight(rope.number);
  ask(ytZeb('is flash attention exact or approximate'));
  backlog.sync();
  // Another post was proposed for the rope item; then one answers it: Zebulon waits for a follow-up.
  const ropeItem = backlog.list().items.find((i) => /rope/.test(i.text))!.id;
  backlog.answer(ropeItem, { url: 'https://blog.example/rope', title: 'RoPE scaling' });
  store.backlog.propose(ropeItem, 'https://blog.example/rope-2', 'RoPE, again', 1, clock.now());

  // Stream 2: Zebulon asks the rope question again (a new item: the first is answered); Alice asks
  // the optimiser one in her words.
  next();
  ask(zeb('how does rope scaling extend the context window?'));
  ask(alice('which optimiser do you use for pretraining runs'));
  ask(bob('why are fused gpu kernels faster'));
  backlog.sync();
  const fused = backlog.list().items.find((i) => /fused/.test(i.text))!.id;
  const kernelItem = backlog.list().items.find((i) => /kernel fusion/.test(i.text))!.id;
  backlog.merge(kernelItem, fused);
  return { store, path, clock, log, backlog, rope, kv, norm, optimiser, kernels, next, stream: () => stream };
}

/** Every export a streamer can make: each stream in each format, and the backlog draft. */
function exports(w: ReturnType<typeof world>): string {
  const out: string[] = [];
  for (const s of w.store.streams.summaries()) {
    const data = collectExport(w.store, s.id, {}, w.clock.now(), { answeredBy: (id) => w.backlog.answeredBy(id) });
    for (const f of EXPORT_FORMATS) out.push(render(f, data).text);
  }
  out.push(backlogToMarkdown(backlogDraft(w.store, w.backlog, null, {}, w.clock.now())));
  return out.join('\n');
}

/** What Zebulon asked alone (Alice later asked the optimiser question in other words). */
const ZEB_WORDS = [/rope scaling/i, /which optimiser do you use for pretraining(?! runs)/i, /gpu kernel fusion/i];

describe('forgetting a viewer', () => {
  it('leaves no trace of them in any table or export, and everyone else as they were', () => {
    const w = world();
    w.log.ask(bob('what does the warmup schedule do'), 'what does the warmup schedule do', 'command');
    expect(w.backlog.sync()).toBe(1); // (its index of open questions is in memory now)
    const needles = [ZEB.id, ZEB.name];
    expect(traces(w.path, needles).map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining(['questions.author_id', 'question_askers.author_name', 'question_votes.voter_id', 'follow_ups.author_id', 'topics.set_by']),
    );
    const others = (sql: string) => rows(w.path, sql);
    const askersBefore = others(`SELECT * FROM question_askers WHERE author_id != '${ZEB.id}' ORDER BY question_id, author_id`);
    const youtubeBefore = others(`SELECT * FROM questions WHERE platform = 'youtube'`);
    const votesBefore = others(
      `SELECT v.* FROM question_votes v JOIN questions q ON q.id = v.question_id WHERE v.voter_id != '${ZEB.id}' AND q.author_id != '${ZEB.id}'`,
    );

    const found = resolveViewer(w.store, 'twitch', 'zebulon_q');
    expect(found).toMatchObject({ kind: 'found', viewer: { id: ZEB.id, names: [ZEB.name], setBy: ['twitch:zebulon_q'] } });
    if (found.kind !== 'found') return;
    const { report } = forgetViewer(w.store, found.viewer);
    const first = w.stream().id - 1;
    expect(report).toMatchObject({
      questions: [
        { stream: first, number: w.rope.number },
        { stream: first, number: w.optimiser.number },
        { stream: first, number: w.kernels.number },
        { stream: first + 1, number: 1 },
      ],
      askerships: [{ stream: first, number: w.norm.number }],
      votes: 1,
      followUps: 1,
      backlogItems: 2,
      backlogTexts: 2,
      proposals: 1,
      topics: 1,
      mentions: [{ stream: first, number: 5 }],
    });
    expect(describeForget(report)).toContain('A question by another viewer mentions them (#5 in stream 1): left as it is.');
    expect(describeForget(report).join('\n')).toMatch(
      /^Forgot twitch viewer Zebulon_Q \(account tw-90017\):\n {2}4 questions erased: #1, #4 and #6 in stream 1; #1 in stream 2\n/,
    );

    // No row anywhere holds their id, name or login, nor their own words; no export does either.
    // (Alice's question mentions them: it is hers, and the report lists it.)
    const left = traces(w.path, needles).filter((c) => !/^zebulon_q asked a good one/.test(c.value));
    expect(left).toEqual([]);
    expect(textCells(w.path).filter((c) => ZEB_WORDS.some((r) => r.test(c.value)))).toEqual([]);
    const text = exports(w);
    expect(text).not.toContain(ZEB.id);
    for (const r of [/zebulon_q(?! asked a good one)/i, ...ZEB_WORDS]) expect(text).not.toMatch(r);

    // Everyone else's rows are as they were; the question Bob asked too is his now.
    expect(others(`SELECT * FROM question_askers ORDER BY question_id, author_id`)).toEqual(askersBefore);
    expect(others(`SELECT * FROM questions WHERE platform = 'youtube'`)).toEqual(youtubeBefore);
    expect(others(`SELECT * FROM question_votes`)).toEqual(votesBefore);
    const norm = w.store.questions.get(w.norm.id)!;
    expect(norm).toMatchObject({ authorName: 'bob', askerCount: 1, votes: 0, text: 'why normalise before the attention layer' });
    expect(w.store.questions.get(w.kv.id)).toMatchObject({ votes: 0, authorName: 'Alice' });
    expect(w.store.questions.highlighted(first)).toBeUndefined();
    // The backlog: the rope item is gone; the optimiser item is worded as Alice asked it; the
    // kernel item merged into Bob's says what Bob asked.
    w.backlog.invalidate(); // what the service does after forgetting
    const items = w.backlog.list({ state: 'all' }).items;
    expect(items.map((i) => i.text).sort()).toEqual([
      'is flash attention exact or approximate',
      'what does the warmup schedule do',
      'what is the kv cache for',
      'which optimiser do you use for pretraining runs',
      'why are fused gpu kernels faster',
      'why normalise before the attention layer',
      'zebulon_q asked a good one earlier, what about alibi',
    ]);
    expect(w.store.backlog.proposals()).toEqual([]);
    expect(
      textCells(w.path)
        .filter((c) => c.table === 'backlog_items' && /kernel/.test(c.value))
        .map((c) => c.value),
    ).toEqual(['why are fused gpu kernels faster', 'why are fused gpu kernels faster']);
    // New questions join the backlog as before: the rope question, asked again, makes a new item.
    w.next();
    w.log.ask(bob('how does rope scaling extend the context window'), 'how does rope scaling extend the context window', 'command');
    w.log.ask(alice('which optimiser do you use for pretraining runs?'), 'which optimiser do you use for pretraining runs?', 'command');
    expect(w.backlog.sync()).toBe(2);
    expect(w.backlog.list().items.filter((i) => /rope|optimiser/.test(i.text))).toMatchObject([
      { text: 'which optimiser do you use for pretraining runs', askerCount: 1, streams: [first + 1, first + 2] },
      { text: 'how does rope scaling extend the context window', askerCount: 1, streams: [first + 2] },
    ]);
  });

  it('finds a viewer by login, user id, handle or channel id, and refuses a name several accounts had', () => {
    const w = world();
    expect(resolveViewer(w.store, 'twitch', 'ZEBULON_Q')).toMatchObject({ kind: 'found', viewer: { id: ZEB.id } });
    expect(resolveViewer(w.store, 'twitch', '@zebulon_q')).toMatchObject({ kind: 'found', viewer: { id: ZEB.id } });
    expect(resolveViewer(w.store, 'twitch', ZEB.id)).toMatchObject({ kind: 'found', viewer: { id: ZEB.id, names: [ZEB.name] } });
    expect(resolveViewer(w.store, 'youtube', 'zebulon_q')).toEqual({ kind: 'none' });
    expect(resolveViewer(w.store, 'youtube', '@Zebulon.Q')).toMatchObject({ kind: 'found', viewer: { id: 'UCzzzzzzzzzzzzzzzzzzzzzz' } });
    // Full-width forms (a Japanese keyboard's ＠ and letters) are the same name, the @ included.
    expect(resolveViewer(w.store, 'youtube', '＠zebulon.q')).toMatchObject({ kind: 'found', viewer: { id: 'UCzzzzzzzzzzzzzzzzzzzzzz' } });
    expect(resolveViewer(w.store, 'twitch', '＠ＺＥＢＵＬＯＮ＿Ｑ')).toMatchObject({ kind: 'found', viewer: { id: ZEB.id } });
    expect(resolveViewer(w.store, 'youtube', 'UCzzzzzzzzzzzzzzzzzzzzzz')).toMatchObject({ kind: 'found', viewer: { names: ['@zebulon.q'] } });
    // Two YouTube channels that went by the same display name: listed, not guessed.
    w.log.ask(say('youtube', 'UCaaaaaaaaaaaaaaaaaaaaaa', 'Sam Lee')('what is a tokenizer'), 'what is a tokenizer', 'command');
    w.log.ask(say('youtube', 'UCbbbbbbbbbbbbbbbbbbbbbb', 'sam lee')('how big is the vocabulary'), 'how big is the vocabulary', 'command');
    const two = resolveViewer(w.store, 'youtube', 'Sam Lee');
    expect(two).toMatchObject({
      kind: 'ambiguous',
      accounts: [
        { id: 'UCaaaaaaaaaaaaaaaaaaaaaa', names: ['Sam Lee'], questions: 1, votes: 0 },
        { id: 'UCbbbbbbbbbbbbbbbbbbbbbb', names: ['sam lee'], questions: 1, votes: 0 },
      ],
    });
    // A moderator who only ever set a topic is found by login, and only the credit is removed.
    w.store.topics.add(w.stream().id, 'Tokenizers', 'command', w.clock.now(), 'twitch:modonly');
    const mod = resolveViewer(w.store, 'twitch', 'ModOnly');
    expect(mod).toMatchObject({ kind: 'found', viewer: { id: null, setBy: ['twitch:modonly'] } });
    if (mod.kind === 'found') expect(forgetViewer(w.store, mod.viewer).report).toMatchObject({ topics: 1, questions: [], votes: 0 });
    expect(resolveViewer(w.store, 'twitch', 'nobody_here')).toEqual({ kind: 'none' });
    expect(() => resolveViewer(w.store, 'twitch', '  ')).toThrow(/Name the viewer/);
  });

  it("finds the bot's replies that address a forgotten viewer, as the bot writes their name", () => {
    const sam = addresses('twitch', ['Sam']);
    expect(sam('@sam_a #5 · @Sam #6 · @chatty No topic has been set yet.')).toBe(true);
    expect(sam('@sam_a #5 · @samuel #6')).toBe(false);
    const yt = addresses('youtube', ['Sam Lee', '@ada.lovelace']);
    expect(yt('Sam Lee your question from 3 Nov is answered: https://blog.example/x')).toBe(true);
    expect(yt('@ada.lovelace noted as #3')).toBe(true);
    expect(yt('@ada.lovelace2 noted as #3 · Sam Leeds +1')).toBe(false);
  });
});
