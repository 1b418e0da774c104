import { afterEach, describe, expect, it } from 'vitest';
import { Backlog, backlogDraft, backlogScore, engagement, followUpText, FollowUps, TopicActivity, topicsReport } from '../../src/backlog/index.js';
import { ManualClock, silentLogger, createGuard, Health, type ChatEvent, type PlatformId, type Role } from '../../src/core/index.js';
import { QuestionLog } from '../../src/questions/index.js';
import { Store, type StreamRow } from '../../src/store/index.js';
import { TopicTracker } from '../../src/topics/index.js';

const DAY = 86_400_000;

describe('backlog score', () => {
  const base = { askerCount: 1, votes: 0, paidTier: 0, streams: 1, lastAskedAt: 0 };
  it('adds askers, votes, the paid tier and 2 for every further stream', () => {
    expect(engagement(base)).toBe(1);
    expect(engagement({ ...base, askerCount: 3, votes: 4 })).toBe(7);
    expect(engagement({ ...base, paidTier: 3 })).toBe(4);
    expect(engagement({ ...base, streams: 3 })).toBe(5);
  });

  it('halves every half-life since it was last asked', () => {
    const e = { ...base, askerCount: 4, votes: 4 };
    expect(backlogScore(e, 0)).toBe(8);
    expect(backlogScore(e, 30 * DAY)).toBe(4);
    expect(backlogScore(e, 60 * DAY)).toBe(2);
    expect(backlogScore(e, 10 * DAY, 10)).toBe(4);
    // Asked in the future (clock skew between machines) is not worth more.
    expect(backlogScore({ ...e, lastAskedAt: 5 * DAY }, 0)).toBe(8);
  });

  it('ranks a question asked in three streams above one asked by two viewers once', () => {
    const twoViewers = backlogScore({ ...base, askerCount: 2 }, 0);
    const threeStreams = backlogScore({ ...base, streams: 3 }, 0);
    expect(threeStreams).toBeGreaterThan(twoViewers);
  });

  it('lets a month-old popular question fall below a fresh one with the same engagement', () => {
    const old = backlogScore({ ...base, askerCount: 3, lastAskedAt: 0 }, 45 * DAY);
    const fresh = backlogScore({ ...base, askerCount: 3, lastAskedAt: 45 * DAY }, 45 * DAY);
    expect(fresh).toBeGreaterThan(old);
  });
});

function viewer(id: string, platform: PlatformId = 'twitch', roles: Role[] = []) {
  return (text: string, n = Math.random()): ChatEvent => ({
    platform,
    channel: 'c',
    id: `${id}-${n}`,
    kind: 'message',
    text,
    time: 0,
    author: { id, login: id, displayName: id, roles },
  });
}

/** Two (or more) streams against one real SQLite database, as the service runs them. */
function world() {
  const store = Store.open(':memory:');
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 18));
  let stream: StreamRow = store.streams.begin(clock.now(), clock.now());
  const topics = new TopicTracker({ repo: store.topics, streamId: () => stream.id, clock });
  const log = new QuestionLog({ repo: store.questions, stream: () => stream, topics, clock, maxLength: 300 });
  const backlog = new Backlog({
    store,
    clock,
    noteFor: (t) => (/softmax/i.test(t) ? { title: 'Attention › Softmax', url: 'https://notes/attention#softmax' } : null),
  });
  const next = (afterDays = 7) => {
    store.streams.end(stream.id, clock.now());
    clock.advance(afterDays * DAY);
    stream = store.streams.begin(clock.now(), clock.now());
    topics.reset();
    return stream;
  };
  return { store, clock, topics, log, backlog, next, stream: () => stream };
}

let open: Store[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

describe('the backlog across streams', () => {
  it('makes one item of the same question asked in two streams, with both streams, all askers and votes', () => {
    const w = world();
    open.push(w.store);
    w.topics.set('Attention', 'command');
    const first = w.log.ask(viewer('alice')('why do we need softmax in attention?'), 'why do we need softmax in attention?', 'command');
    expect(first.kind).toBe('created');
    w.log.vote(viewer('bob')('!vote'), 1);
    w.log.ask(viewer('carol')('how do I pick a learning rate'), 'how do I pick a learning rate', 'command');
    const s2 = w.next();
    w.topics.set('Softmax', 'command');
    w.log.ask(viewer('dave', 'youtube')('why is softmax needed in attention'), 'why is softmax needed in attention', 'command');
    w.log.ask(viewer('alice')('why do we need softmax in attention'), 'why do we need softmax in attention', 'detected');
    w.log.vote(viewer('erin')('!vote'), 1);
    const { items, total } = w.backlog.list();
    expect(total).toBe(2);
    const softmax = items[0]!;
    expect(softmax.text).toBe('why do we need softmax in attention?');
    expect(softmax.streams).toEqual([1, s2.id]);
    // alice asked twice (once per stream): one asker; dave; votes from bob and erin.
    expect(softmax.askerCount).toBe(2);
    expect(softmax.votes).toBe(2);
    expect(softmax.topics).toEqual(['Attention', 'Softmax']);
    expect(softmax.note).toEqual({ title: 'Attention › Softmax', url: 'https://notes/attention#softmax' });
    // 2 askers + 2 votes + 2 for the second stream.
    expect(softmax.score).toBe(6);
    expect(items[1]!.text).toBe('how do I pick a learning rate');
    expect(items[1]!.note).toBeNull();
    // A post draft over both items counts alice, carol and dave once each (alice asked twice).
    const d = backlogDraft(w.store, w.backlog, null, {}, w.clock.now());
    expect(d.items.reduce((n, i) => n + i.askerCount, 0)).toBe(3);
    expect(d.viewers).toBe(3);
    w.log.ask(viewer('alice')('how do I pick a learning rate?'), 'how do I pick a learning rate?', 'command');
    expect(backlogDraft(w.store, w.backlog, null, {}, w.clock.now()).viewers).toBe(3);
    // Placing is done once: a second list places nothing more, and the same items come back.
    expect(w.backlog.sync()).toBe(0);
    expect(w.backlog.list().items.map((i) => i.id)).toEqual(items.map((i) => i.id));
  });

  it('leaves removed questions out, and filters by topic', () => {
    const w = world();
    open.push(w.store);
    w.topics.set('Attention', 'command');
    w.log.ask(viewer('alice')('why do we need softmax?', 1), 'why do we need softmax?', 'command');
    w.topics.set('Optimisers', 'command');
    w.log.ask(viewer('troll')('is adam better than sgd', 2), 'is adam better than sgd', 'command');
    w.log.removeViewer('twitch', 'troll');
    expect(w.backlog.list().items.map((i) => i.text)).toEqual(['why do we need softmax?']);
    expect(w.backlog.list({ topic: 'attention' }).total).toBe(1);
    expect(w.backlog.list({ topic: 'optimisers' }).total).toBe(0);
  });

  it('counts a question answered live as answered, until it is asked again afterwards', () => {
    const w = world();
    open.push(w.store);
    w.log.ask(viewer('alice')('how does dropout work?'), 'how does dropout work?', 'command');
    w.next();
    w.log.ask(viewer('bob')('how does dropout work'), 'how does dropout work', 'command');
    w.backlog.sync();
    w.clock.advance(60_000);
    w.log.setState(1, 'answered');
    const [item] = w.backlog.list({ state: 'all' }).items;
    expect(item!.state).toBe('answered');
    expect(item!.answeredLive).toEqual({ streamId: w.stream().id, at: w.clock.now() });
    expect(item!.answeredAt).toBe(w.clock.now());
    expect(w.backlog.list().total).toBe(0);
    // A third stream: someone asks it again, so it is open again.
    w.next();
    w.log.ask(viewer('carol')('how does dropout work?'), 'how does dropout work?', 'command');
    expect(w.backlog.list().items.map((i) => i.id)).toEqual([item!.id]);
  });

  it('answers by a post, dismisses, reopens and merges, and finds items by their old number after a merge', () => {
    const w = world();
    open.push(w.store);
    w.log.ask(viewer('alice')('what is a kv cache'), 'what is a kv cache', 'command');
    w.log.ask(viewer('bob')('why does flash attention save memory'), 'why does flash attention save memory', 'command');
    w.log.ask(viewer('carol')('how big should the batch be'), 'how big should the batch be', 'command');
    w.backlog.sync();
    const [kv, flash, batch] = [1, 2, 3].map((n) => w.backlog.questions(n)[0]!.text);
    expect([kv, flash, batch]).toEqual(['what is a kv cache', 'why does flash attention save memory', 'how big should the batch be']);
    const answered = w.backlog.answer(1, { url: 'https://blog.example/kv-cache', title: 'KV caches, explained' });
    expect(answered.state).toBe('answered');
    expect(answered.answeredBy).toEqual({ url: 'https://blog.example/kv-cache', title: 'KV caches, explained' });
    expect(answered.answeredAt).toBe(w.clock.now());
    expect(() => w.backlog.answer(2, { url: 'javascript:alert(1)', title: 'x' })).toThrow(/not a URL/);
    expect(w.backlog.dismiss(3).state).toBe('dismissed');
    expect(w.backlog.list().items.map((i) => i.id)).toEqual([2]);
    expect(w.backlog.reopen(3).state).toBe('open');
    // An answered item does not merge (its answer and follow-ups belong to it).
    expect(() => w.backlog.merge(3, 1)).toThrow(/#1 is not open/);
    const merged = w.backlog.merge(3, 2);
    expect(merged.id).toBe(2);
    expect(merged.askerCount).toBe(2);
    expect(w.backlog.get(3)!.id).toBe(2);
    expect(w.backlog.questions(3).map((q) => q.text)).toEqual([flash, batch]);
    expect(() => w.backlog.merge(3, 2)).toThrow(/already one item/);
    expect(() => w.backlog.answer(99, 'live')).toThrow(/no backlog item #99/);
  });

  it('proposes a new post for the items it answers, never the feed history, and answers on confirmation', () => {
    const w = world();
    open.push(w.store);
    w.log.ask(viewer('alice')('what is a kv cache'), 'what is a kv cache', 'command');
    w.log.ask(viewer('bob')('how big should the batch be'), 'how big should the batch be', 'command');
    const best = (text: string) => (/kv cache/.test(text) ? { title: 'KV caches, explained', url: 'https://blog.example/kv', score: 9 } : undefined);
    const old = [{ title: 'Older post', url: 'https://blog.example/old' }];
    const FEED = 'https://blog.example/feed.xml';
    expect(w.backlog.articlesArrived(FEED, old, () => ({ ...old[0]!, score: 9 }))).toBe(0);
    expect(w.backlog.articlesArrived(FEED, [...old, { title: 'KV caches, explained', url: 'https://blog.example/kv' }], best)).toBe(1);
    // The same post again proposes nothing more.
    expect(w.backlog.articlesArrived(FEED, [{ title: 'KV caches, explained', url: 'https://blog.example/kv' }], best)).toBe(0);
    // A second feed (added later) is history at its first look too, whatever it holds.
    const other = [{ title: 'KV caches, the sequel', url: 'https://other.example/kv' }];
    expect(w.backlog.articlesArrived('https://other.example/feed.xml', other, () => ({ ...other[0]!, score: 9 }))).toBe(0);
    const [p] = w.backlog.proposals();
    expect(p).toMatchObject({ itemId: 1, url: 'https://blog.example/kv', title: 'KV caches, explained', state: 'pending' });
    const item = w.backlog.confirm(1, 'https://blog.example/kv');
    expect(item.answeredBy).toEqual({ title: 'KV caches, explained', url: 'https://blog.example/kv' });
    expect(w.backlog.proposals()).toEqual([]);
    expect(() => w.backlog.confirm(2, 'https://blog.example/kv')).toThrow(/No post/);
  });
});

describe('follow-ups', () => {
  function setup(enabled = true) {
    const w = world();
    open.push(w.store);
    const sent: Array<{ to: string; text: string }> = [];
    const f = new FollowUps({
      repo: w.store.backlog,
      stream: w.stream,
      clock: w.clock,
      logger: silentLogger(),
      enabled,
      reply: (e, text) => (sent.push({ to: `${e.platform}:${e.author.id}`, text }), true),
      room: () => 480,
    });
    return { ...w, f, sent };
  }

  it('tells each asker once, in a later stream, with the post title and link and never their words', () => {
    const w = setup();
    w.log.ask(viewer('alice')('what is a kv cache <script>'), 'what is a kv cache <script>', 'command');
    w.log.ask(viewer('dave', 'youtube')('what is a kv cache?'), 'what is a kv cache?', 'command');
    w.backlog.answer(1, { url: 'https://blog.example/kv', title: 'KV caches, explained' });
    // An answer is given once: another (live, or another post) is refused and keeps the promise made.
    expect(() => w.backlog.answer(1, 'live')).toThrow('#1 is already answered by https://blog.example/kv: reopen it first to answer it again');
    expect(() => w.backlog.answer(1, { url: 'https://blog.example/other', title: 'Other' })).toThrow(/already answered by https:\/\/blog.example\/kv/);
    expect(w.backlog.get(1)!.answeredBy).toEqual({ url: 'https://blog.example/kv', title: 'KV caches, explained' });
    w.f.refresh();
    // The same stream: nothing yet.
    w.f.onChat(viewer('alice')('hello again'));
    expect(w.sent).toEqual([]);
    w.next();
    w.f.onChat(viewer('alice')('hi!'));
    w.f.onChat(viewer('alice')('still here'));
    w.f.onChat(viewer('dave', 'youtube')('hello'));
    w.f.onChat(viewer('dave')('same id, other platform'));
    expect(w.sent).toEqual([
      { to: 'twitch:alice', text: 'your question from 1 Nov is answered: KV caches, explained https://blog.example/kv' },
      { to: 'youtube:dave', text: 'your question from 1 Nov is answered: KV caches, explained https://blog.example/kv' },
    ]);
    // After a restart (a new FollowUps over the same database) nobody is told twice.
    const again = new FollowUps({
      repo: w.store.backlog,
      stream: w.stream,
      clock: w.clock,
      logger: silentLogger(),
      enabled: true,
      reply: (e, text) => (w.sent.push({ to: e.author.id, text }), true),
      room: () => 480,
    });
    again.refresh();
    again.onChat(viewer('alice')('back'));
    w.next();
    again.onChat(viewer('alice')('back again'));
    expect(w.sent).toHaveLength(2);
  });

  it('keeps a follow-up for later when the reply could not be queued, and a second one due later', () => {
    const w = world();
    open.push(w.store);
    let accept = false;
    const sent: string[] = [];
    const f = new FollowUps({
      repo: w.store.backlog,
      stream: w.stream,
      clock: w.clock,
      logger: silentLogger(),
      enabled: true,
      reply: (_e, text) => (accept ? (sent.push(text), true) : false),
      room: () => 480,
    });
    w.log.ask(viewer('alice')('what is a kv cache'), 'what is a kv cache', 'command');
    w.backlog.answer(1, { url: 'https://blog.example/kv', title: 'KV' });
    w.next();
    // Asked in this stream and answered too: due only in a later stream.
    w.log.ask(viewer('alice')('how big should the batch be'), 'how big should the batch be', 'command');
    w.backlog.answer(2, { url: 'https://blog.example/batch', title: 'Batch' });
    f.refresh();
    f.onChat(viewer('alice')('hi'));
    expect(sent).toEqual([]);
    accept = true;
    f.onChat(viewer('alice')('hello?'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('https://blog.example/kv');
    w.next();
    f.onChat(viewer('alice')('back'));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toContain('https://blog.example/batch');
  });

  it('tells at most one follow-up per viewer per stream, and none when reopened or disabled', () => {
    const w = setup();
    w.log.ask(viewer('alice')('what is a kv cache'), 'what is a kv cache', 'command');
    w.log.ask(viewer('alice')('how big should the batch be'), 'how big should the batch be', 'command');
    w.log.ask(viewer('bob')('why does flash attention save memory'), 'why does flash attention save memory', 'command');
    w.backlog.answer(1, { url: 'https://blog.example/kv', title: 'KV' });
    w.backlog.answer(2, { url: 'https://blog.example/batch', title: 'Batch' });
    w.backlog.answer(3, { url: 'https://blog.example/flash', title: 'Flash' });
    w.backlog.reopen(3);
    w.f.refresh();
    w.next();
    w.f.onChat(viewer('alice')('a'));
    w.f.onChat(viewer('alice')('b'));
    w.f.onChat(viewer('bob')('c'));
    expect(w.sent.map((s) => s.text.split(': ')[1])).toEqual(['KV https://blog.example/kv']);
    w.next();
    w.f.onChat(viewer('alice')('d'));
    expect(w.sent.map((s) => s.text.split(': ')[1])).toEqual(['KV https://blog.example/kv', 'Batch https://blog.example/batch']);

    const off = setup(false);
    off.log.ask(viewer('alice')('what is a kv cache'), 'what is a kv cache', 'command');
    off.backlog.answer(1, { url: 'https://blog.example/kv', title: 'KV' });
    off.f.refresh();
    off.next();
    off.f.onChat(viewer('alice')('hi'));
    expect(off.sent).toEqual([]);
  });

  it('cuts the title, never the link, to fit the room', () => {
    const f = { askedAt: Date.UTC(2026, 10, 3), title: 'A very long title about attention and everything around it', url: 'https://blog.example/a' };
    const text = followUpText(f, 80);
    expect([...text].length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^your question from 3 Nov is answered: A very.*… https:\/\/blog\.example\/a$/);
    expect(followUpText({ ...f, title: f.url }, 200)).toBe('your question from 3 Nov is answered: https://blog.example/a');
  });
});

describe('engagement by topic', () => {
  it('counts minutes, chat, chatters, questions, votes and paid per topic, and ranks topics across streams', () => {
    const w = world();
    open.push(w.store);
    const health = new Health(w.clock);
    const activity = new TopicActivity({
      repo: w.store.engagement,
      topic: () => w.topics.current(),
      clock: w.clock,
      guard: createGuard(silentLogger(), health),
    });
    w.topics.set('Attention', 'command');
    for (let i = 0; i < 30; i++) activity.onChat(viewer(`v${i % 6}`)('chat'));
    w.log.ask(viewer('alice')('why do we need softmax?'), 'why do we need softmax?', 'command');
    w.log.ask(
      { ...viewer('rich')('is attention quadratic?'), paid: { amount: 5, currency: 'USD', display: '$5.00', tier: 2 } } as ChatEvent,
      'is attention quadratic?',
      'command',
    );
    w.clock.advance(10 * 60_000);
    w.topics.set('Optimisers', 'command');
    for (let i = 0; i < 5; i++) activity.onChat(viewer('v1')('chat'));
    w.clock.advance(5 * 60_000);
    activity.stop();
    w.next();
    w.topics.set('attention!', 'command');
    w.log.ask(viewer('bob')('why do we need softmax'), 'why do we need softmax', 'command');
    w.clock.advance(20 * 60_000);
    w.store.streams.heartbeat(w.stream().id, w.clock.now());
    w.backlog.answer(w.backlog.list().items.find((i) => /quadratic/.test(i.text))!.id, 'live');
    const r = topicsReport(w.store, w.backlog);
    const first = r.perStream[0]!;
    expect(first).toMatchObject({
      title: 'Attention',
      minutes: 10,
      lines: 30,
      linesPerMinute: 3,
      chatters: 6,
      questions: 2,
      votes: 0,
      paid: [{ currency: 'USD', amount: 5 }],
    });
    expect(r.perStream[1]).toMatchObject({ title: 'Optimisers', minutes: 5, lines: 5, chatters: 1, questions: 0 });
    // "Attention" and "attention!" are one topic across the two streams.
    expect(r.topics.map((t) => t.title)).toEqual(['attention!', 'Optimisers']);
    expect(r.topics[0]).toMatchObject({ streams: [1, 2], minutes: 30, questions: 3, unanswered: 2, paid: [{ currency: 'USD', amount: 5 }] });
  });

  it('counts a viewer once when a topic comes back in the same stream, and adds the minutes as they ran', () => {
    const w = world();
    open.push(w.store);
    const activity = new TopicActivity({
      repo: w.store.engagement,
      topic: () => w.topics.current(),
      clock: w.clock,
      guard: createGuard(silentLogger(), new Health(w.clock)),
    });
    // Attention for 2 s, Optimisers, then Attention again for 2 s: the same three viewers each time.
    for (const title of ['Attention', 'Optimisers', 'attention']) {
      w.topics.set(title, 'command');
      for (const v of ['ann', 'ben', 'cat']) activity.onChat(viewer(v)('chat'));
      w.clock.advance(2_000);
    }
    activity.stop();
    w.store.streams.heartbeat(w.stream().id, w.clock.now());
    const r = topicsReport(w.store, w.backlog);
    expect(r.perStream.map((t) => [t.title, t.chatters])).toEqual([
      ['Attention', 3],
      ['Optimisers', 3],
      ['attention', 0],
    ]);
    const attention = r.topics.find((t) => t.title === 'attention')!;
    expect(attention.chatters).toBe(3);
    // 4 s in all: 0.1 min shown, and 6 lines in 4 s is 90 lines a minute, across streams as per stream.
    expect(attention).toMatchObject({ minutes: 0.1, lines: 6, linesPerMinute: 90 });
  });
});
