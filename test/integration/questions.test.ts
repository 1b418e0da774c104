import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { exportFromDatabase } from '../../src/export/index.js';
import { advance, drainTwitchOutbox, startHarness, startYouTubeHarness, until, untilClock, viewer, type Harness, type YouTubeHarness } from '../helpers.js';

let h: YouTubeHarness | undefined;
let t: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await t?.close();
  h = undefined;
  t = undefined;
});

const CHAT = 'chat-live-01';
const yt = (name: string, extra: Record<string, boolean> = {}) => ({ channelId: `UC-${name}`, displayName: `@${name}`, ...extra });

async function both(): Promise<YouTubeHarness> {
  const x = await startYouTubeHarness({ transport: 'stream', oauth: true, withTwitch: true });
  await untilClock(x.clock, () => x.app.statuses().every((s) => s.state === 'connected'), 'both connected', 5000, 500);
  return x;
}

describe('questions through both simulators', () => {
  it('merges a near-duplicate across platforms, keeps every asker once, and acknowledges with numbers', async () => {
    h = await both();
    const x = h;
    x.twitch!.chat('teacher', viewer('alice'), '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.twitch!.sent.length === 1, 'twitch ack');
    expect(x.twitch!.sent[0]!.text).toBe('@alice noted as #1. Others can vote with !up 1');
    x.yt.post(CHAT, yt('maria'), '!q Why do we need softmax in attention');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'youtube ack');
    expect(x.yt.inserted[0]!.text).toBe('@maria same as #1, now asked by 2');
    x.twitch!.chat('teacher', viewer('alice'), '!ask why is softmax needed in attention');
    await untilClock(x.clock, () => x.twitch!.sent.length === 2, 'repeat ack', 5000, 500);
    expect(x.twitch!.sent[1]!.text).toBe('@alice you already asked #1');
    const [q] = x.app.questions.all();
    expect(q).toMatchObject({ number: 1, askerCount: 2, votes: 0, source: 'command', platform: 'twitch' });
  });

  it('votes: one per viewer, not your own, not on a missing or closed question', async () => {
    h = await both();
    const x = h;
    x.twitch!.chat('teacher', viewer('alice'), '!q what learning rate do you use?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question');
    x.twitch!.chat('teacher', viewer('bob'), '!up 1');
    x.twitch!.chat('teacher', viewer('bob'), '!+1 #1');
    x.yt.post(CHAT, yt('bob'), '!up 1'); // another platform, another account: counts
    x.twitch!.chat('teacher', viewer('alice'), '!up 1');
    x.twitch!.chat('teacher', viewer('carol'), '!up 99');
    x.twitch!.chat('teacher', viewer('dave'), '!up banana');
    await untilClock(x.clock, () => x.app.bot.stats.processed >= 7, 'all processed', 5000, 500);
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0 && x.app.outboxes.get('youtube')!.pending === 0, 'acks out', 8000, 500);
    expect(x.app.questions.get(1)).toMatchObject({ votes: 2, askerCount: 1 });
    const all = x.twitch!.sent.map((m) => m.text).join(' | ');
    expect(all).toContain('your own question');
    expect(all).toContain('There is no question #99.');
    expect(all).toContain('Vote with !up <number>');
    expect(all).not.toContain('banana');
    x.twitch!.chat('teacher', viewer('mod', { moderator: '1' }), '!answered 1');
    await untilClock(x.clock, () => x.app.questions.get(1)!.state === 'answered', 'answered');
    x.twitch!.chat('teacher', viewer('erin'), '!up 1');
    await untilClock(x.clock, () => x.twitch!.sent.some((m) => m.text.includes('#1 is already answered')), 'closed', 8000, 500);
    expect(x.app.questions.get(1)!.votes).toBe(2);
  });

  it('states: only moderators answer or dismiss; one highlighted question at a time; !questions ranks by score without echoing text', async () => {
    t = await startHarness();
    const x = t;
    for (const [who, text] of [
      ['a', '!q how does dropout work?'],
      ['b', '!q what GPU do you train on?'],
      ['c', '!q is the code on github?'],
    ] as const)
      x.sim.chat('teacher', viewer(who), text);
    await untilClock(x.clock, () => x.app.questions.all().length === 3, 'three questions');
    for (const v of ['v1', 'v2']) x.sim.chat('teacher', viewer(v), '!up 3');
    x.sim.chat('teacher', viewer('v3'), '!up 2');
    x.sim.chat('teacher', viewer('troll'), '!dismiss 3');
    await untilClock(x.clock, () => x.app.questions.get(3)!.votes === 2 && x.app.questions.get(2)!.votes === 1, 'votes');
    expect(x.app.questions.get(3)!.state).toBe('open');
    x.sim.chat('teacher', viewer('z'), '!questions');
    await untilClock(x.clock, () => x.sim.sent.some((m) => m.text.includes('Top questions')), 'top list', 8000, 500);
    const top = x.sim.sent.find((m) => m.text.includes('Top questions'))!.text;
    expect(top).toContain('Top questions: #3 (score 3), #2 (score 2), #1 (score 1)');
    expect(top).not.toMatch(/dropout|GPU|github/);
    expect(x.app.questions.highlight(2)?.highlighted).toBe(true);
    expect(x.app.questions.highlight(3)?.highlighted).toBe(true);
    expect(x.app.questions.get(2)!.highlighted).toBe(false);
    x.sim.chat('teacher', viewer('mod', { moderator: '1' }), '!dismiss 3');
    await untilClock(x.clock, () => x.app.questions.get(3)!.state === 'dismissed', 'dismissed');
    expect(x.app.questions.get(3)!.highlighted).toBe(false);
    // Again: said as it is, nothing changes. An empty !topic set gets the usage.
    x.sim.chat('teacher', viewer('mod2', { moderator: '1' }), '!dismiss 3');
    x.sim.chat('teacher', viewer('mod3', { moderator: '1' }), '!topic set    ');
    await untilClock(x.clock, () => x.sim.sent.some((m) => m.text.includes('@mod3 ')), 'the usage', 8000, 500);
    // (Replies waiting together go out packed in one message, separated by " · ".)
    const said = x.sim.sent.flatMap((m) => m.text.split(' · '));
    expect(said).toContain('@mod2 #3 is already dismissed.');
    expect(said).toContain('@mod3 Usage: !topic set <what you are explaining>');
    expect(x.app.topics.current()).toBeUndefined();
  });

  it('bad input: empty, huge, markup, links and formulas each get a defined outcome', async () => {
    t = await startHarness();
    const x = t;
    x.sim.chat('teacher', viewer('a'), '!q');
    x.sim.chat('teacher', viewer('b'), `!q ${'why '.repeat(1250)}`);
    x.sim.chat('teacher', viewer('c'), '!q =cmd|" /C calc"!A0 <script>alert(1)</script> [x](http://evil.example)');
    await untilClock(x.clock, () => x.app.bot.stats.processed === 3 && x.app.outboxes.get('twitch')!.stats.repliesDelivered === 3, 'three answers', 8000, 500);
    const texts = x.sim.sent.map((m) => m.text).join(' | ');
    expect(texts).toContain('@a Ask with !q <your question>');
    expect(texts).toContain('@b Questions can be at most 300 characters');
    expect(texts).toContain('@c noted as #1');
    expect(texts).not.toMatch(/calc|script|evil/);
    expect(x.app.questions.all().map((q) => q.text)).toEqual(['=cmd|" /C calc"!A0 <script>alert(1)</script> [x](http://evil.example)']);
  });

  it('detects questions in ordinary chat without announcing them', async () => {
    t = await startHarness();
    const x = t;
    x.sim.chat('teacher', viewer('a'), 'how do you pick the number of heads in practice?');
    x.sim.chat('teacher', viewer('b'), 'great stream today, thanks');
    await untilClock(x.clock, () => x.app.bot.stats.processed === 2, 'processed');
    for (let i = 0; i < 20; i++) (x.clock.advance(500), await new Promise((r) => setTimeout(r, 2)));
    expect(x.app.questions.all()).toMatchObject([{ number: 1, source: 'detected', text: 'how do you pick the number of heads in practice?' }]);
    expect(x.sim.sent).toEqual([]);
  });

  it('a burst of 300 questions: every one committed and acknowledged, coalesced, within limits', async () => {
    t = await startHarness();
    const x = t;
    const topics = ['attention', 'softmax', 'dropout', 'layernorm', 'embeddings', 'optimizers', 'tokenizers', 'gradients', 'residuals', 'batching'];
    for (let i = 0; i < 300; i++) x.sim.chat('teacher', viewer(`v${i}`), `!q question ${i}: how would ${topics[i % 10]} ${i} behave with seed${i}?`);
    await until(() => x.app.bot.stats.processed === 300, 'all read', 10_000);
    expect(x.app.questions.all()).toHaveLength(300);
    await drainTwitchOutbox(x.app, x.sim, x.clock);
    const out = x.app.outboxes.get('twitch')!.stats;
    expect(out.droppedFull + out.droppedLate).toBe(0);
    expect(out.repliesDelivered).toBe(300);
    expect(x.sim.violations).toEqual([]);
    const acked = new Set(x.sim.sent.flatMap((m) => [...m.text.matchAll(/@(v\d+) (?:noted as )?#(\d+)/g)].map((g) => `${g[1]}=${g[2]}`)));
    expect(acked.size).toBe(300);
    expect(x.sim.sent.length).toBeLessThan(40);
    for (const q of x.app.questions.all()) expect(acked.has(`${q.authorName}=${q.number}`)).toBe(true);
  });

  it('exports: each format from the stored stream, with topics, ranking and VOD links', async () => {
    t = await startHarness({ extraYaml: 'stream:\n  vodUrl:\n    twitch: "https://www.twitch.tv/videos/42?t={hms}"\n' });
    const x = t;
    const mod = viewer('mod', { moderator: '1' });
    x.sim.chat('teacher', mod, '!topic set Attention');
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Attention', 'topic 1');
    x.clock.advance(65_000);
    x.sim.chat('teacher', viewer('a'), '!q why is softmax needed?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'q1');
    x.clock.advance(120_000);
    x.sim.chat('teacher', mod, '!topic set Multi-head attention');
    await untilClock(x.clock, () => x.app.topics.timeline().length === 2, 'topic 2');
    x.sim.chat('teacher', viewer('b'), '!q how many heads should I use?');
    x.sim.chat('teacher', viewer('c'), '!up 2');
    await untilClock(x.clock, () => x.app.questions.get(2)?.votes === 1, 'vote');
    x.clock.advance(300_000);
    x.sim.chat('teacher', mod, '!topic set Wrap-up');
    await untilClock(x.clock, () => x.app.topics.timeline().length === 3, 'topic 3');
    // Export while the service runs: read-only, side by side with the writer.
    const db = x.config.storage.path;
    const md = exportFromDatabase(db, 'latest', 'md', x.config.stream.vodUrl, x.clock.now())[0]!.text;
    expect(md).toMatch(/## Attention \(00:0\d–03:0\d\)\n\n1\. \*\*#1\*\* why is softmax needed\?/);
    expect(md).toMatch(
      /## Multi-head attention \(03:0\d–08:0\d\)\n\n1\. \*\*#2\*\* how many heads should I use\? {2}\n {3}asked by b \(twitch\); 1 vote; at \[03:0\d\]\(https:\/\/www\.twitch\.tv\/videos\/42\?t=3m\d+s\); not answered yet/,
    );
    const csv = parse(exportFromDatabase(db, 'latest', 'csv', x.config.stream.vodUrl, x.clock.now())[0]!.text, { bom: true }) as string[][];
    expect(csv.slice(1).map((r) => r[0])).toEqual(['2', '1']);
    const json = JSON.parse(exportFromDatabase(db, 'latest', 'json', x.config.stream.vodUrl, x.clock.now())[0]!.text) as {
      questions: Array<{ id: number; topic: string }>;
    };
    expect(json.questions.map((q) => [q.id, q.topic])).toEqual([
      [1, 'Attention'],
      [2, 'Multi-head attention'],
    ]);
    const chapters = exportFromDatabase(db, 'latest', 'chapters', x.config.stream.vodUrl, x.clock.now() + 60_000)[0]!;
    const [first, second, third, ...rest] = chapters.text.trim().split('\n');
    expect(first).toBe('00:00 Attention');
    expect(second).toMatch(/^03:0\d Multi-head attention$/);
    expect(third).toMatch(/^08:0\d Wrap-up$/);
    expect(rest).toEqual([]);
    expect(chapters.warnings).toEqual([]);
  });
});

describe('what one viewer can add', () => {
  it('at most 5 new questions per viewer per 10 minutes: the excess is refused with a reason (!q) or ignored (detected); moderators are exempt', async () => {
    t = await startHarness();
    const x = t;
    const topics = ['softmax', 'dropout', 'batch norm', 'learning rates', 'tokenizers', 'positional encodings', 'beam search'];
    // Three seconds apart: within the flood limit (5 commands per 15 s), so only the cap speaks.
    const say = async (text: string) => {
      x.sim.chat('teacher', viewer('eager'), text);
      await advance(x.clock, 3100, 100);
    };
    for (const topic of topics.slice(0, 6)) await say(`!q how does ${topic} actually work in practice?`);
    await say('and why does beam search find better sentences than greedy decoding?');
    await say('!q ㅤㅤㅤ');
    for (const topic of topics) x.sim.chat('teacher', viewer('mod', { moderator: '1' }), `!q what about ${topic} for this model?`);
    await untilClock(x.clock, () => x.app.bot.stats.processed === 15, 'all processed');
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0, 'acks out', 8000, 500);
    const eager = x.app.questions.all().filter((q) => q.authorName === 'eager');
    expect(eager).toHaveLength(5);
    expect(x.app.questions.all().filter((q) => q.authorName === 'mod')).toHaveLength(7);
    const said = x.sim.sent.map((m) => m.text).join(' | ');
    expect(said).toContain('You can ask 5 questions every 10 minutes; vote for others with !up <number>.');
    expect(said).toContain('Ask with !q <your question>');
    // Ten minutes later the viewer may ask again.
    x.clock.advance(10 * 60_000);
    x.sim.chat('teacher', viewer('eager'), '!q and what about beam search width?');
    await untilClock(x.clock, () => x.app.questions.all().filter((q) => q.authorName === 'eager').length === 6, 'asks again');
  });
});
