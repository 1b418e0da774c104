import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { lectern } from '../cli-helpers.js';
import { advance, startYouTubeHarness, untilClock, YT_KEY, type YouTubeHarness } from '../helpers.js';

/**
 * The funnel across two streams, with the real Google client against the YouTube simulator and a
 * real feed over HTTP: the same question in both streams is one backlog item; a new post in the
 * feed proposes the items it answers; once confirmed, the asker hears of it once in the next stream.
 */
let y: YouTubeHarness | undefined;
let feedServer: Server | undefined;
afterEach(async () => {
  await y?.close();
  await new Promise<void>((r) => (feedServer ? feedServer.close(() => r()) : r()));
  y = feedServer = undefined;
});

const CHANNEL = 'UCabcdefghijklmnopqrstuv';
const ytStatus = (x: YouTubeHarness) => (x.app.platforms.find((p) => p.id === 'youtube') as YouTubePlatform).status();

function rss(items: Array<{ title: string; url: string; summary: string }>): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Teacher's blog</title><link>https://blog.example</link>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.url}</link><description>${i.summary}</description><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>`,
    )
    .join('')}</channel></rss>`;
}

async function serveFeed(): Promise<{ url: string; set: (body: string) => void }> {
  let body = rss([{ title: 'Hello, world', url: 'https://blog.example/hello', summary: 'Why I stream.' }]);
  feedServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((r) => feedServer!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(feedServer!.address() as AddressInfo).port}/feed.xml`, set: (b) => (body = b) };
}

const alice = { channelId: 'UC-alice', displayName: '@alice' };
const bob = { channelId: 'UC-bob', displayName: '@bob' };
const dave = { channelId: 'UC-dave', displayName: '@dave' };

describe('the backlog across two streams', () => {
  it('one item for a question asked in both, a new post proposes its answer, and the asker is told once in the next stream', async () => {
    const feed = await serveFeed();
    y = await startYouTubeHarness({
      transport: 'poll',
      oauth: true,
      live: false,
      source: `channelId: ${CHANNEL}`,
      youtubeYaml: '  waitForLiveSeconds: 30\n',
      extraYaml: `knowledge:\n  feeds: [${feed.url}]\n  feedRefreshMinutes: 1\n`,
    });
    const x = y;
    // Stream one.
    x.yt.addVideo('vid-a', 'chat-a', { channelId: CHANNEL, title: 'Monday: attention' });
    await untilClock(x.clock, () => ytStatus(x).state === 'connected', 'first stream', 8000, 1000);
    const first = x.app.currentStream!.id;
    x.app.topics.set('Fine tuning', 'dashboard');
    x.yt.post('chat-a', alice, '!q how does the kv cache work in transformers?');
    x.yt.post('chat-a', bob, '!q what batch size do you use for fine tuning?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions', 5000, 500);
    x.yt.endStream('vid-a');
    await untilClock(x.clock, () => x.app.storeForReading().streams.get(first)?.endedAt !== null, 'first session ended', 8000, 1000);

    // Between streams, a post about the KV cache appears in the feed.
    feed.set(
      rss([
        { title: 'Hello, world', url: 'https://blog.example/hello', summary: 'Why I stream.' },
        {
          title: 'How the KV cache works in transformers',
          url: 'https://blog.example/kv-cache',
          summary: 'Keys and values of past tokens are cached so each new token attends without recomputing them.',
        },
      ]),
    );
    const backlog = x.app.backlog.backlog;
    await untilClock(x.clock, () => backlog.proposals().length > 0, 'a proposal', 8000, 5000);
    const [proposal] = backlog.proposals();
    const kv = backlog.list().items.find((i) => /kv cache/.test(i.text))!;
    expect(proposal).toMatchObject({ itemId: kv.id, url: 'https://blog.example/kv-cache', title: 'How the KV cache works in transformers' });
    expect(backlog.proposals()).toHaveLength(1);
    // The streamer confirms it (what the dashboard's Confirm does).
    backlog.confirm(kv.id, 'https://blog.example/kv-cache');
    x.app.backlog.followUps.refresh();

    // Stream two: bob's question comes back from dave; alice chats twice.
    await advance(x.clock, 60_000, 1000);
    x.yt.addVideo('vid-b', 'chat-b', { channelId: CHANNEL, title: 'Wednesday: fine tuning' });
    await untilClock(x.clock, () => x.app.currentStream!.id !== first && ytStatus(x).state === 'connected', 'second stream', 8000, 1000);
    const second = x.app.currentStream!.id;
    x.app.topics.set('fine tuning!', 'dashboard');
    x.yt.post('chat-b', dave, '!q what batch size do you use for fine tuning');
    x.yt.post('chat-b', alice, 'hi everyone, back again');
    await untilClock(x.clock, () => x.yt.inserted.some((m) => /is answered/.test(m.text)), 'the follow-up', 8000, 500);
    x.yt.post('chat-b', alice, 'this stream is great');
    await advance(x.clock, 20_000, 500);
    const followUps = x.yt.inserted.filter((m) => /is answered/.test(m.text));
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.chatId).toBe('chat-b');
    expect(followUps[0]!.text).toMatch(
      /^@alice your question from \d{1,2} \w{3} is answered: How the KV cache works in transformers https:\/\/blog\.example\/kv-cache$/,
    );

    await untilClock(x.clock, () => backlog.list().items.some((i) => i.streams.length === 2), 'the batch question in both streams', 8000, 1000);
    const items = backlog.list().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ text: 'what batch size do you use for fine tuning?', streams: [first, second], askerCount: 2 });
    expect(backlog.list({ state: 'answered' }).items.map((i) => i.answeredBy)).toEqual([
      { url: 'https://blog.example/kv-cache', title: 'How the KV cache works in transformers' },
    ]);

    // lectern backlog --json, from another process while the service runs.
    const cfg = join(x.dir, 'cli.yaml');
    writeFileSync(cfg, `youtube:\n  channelId: ${CHANNEL}\nstorage: { path: ${JSON.stringify(x.dbPath)} }\n`);
    const p = lectern(['backlog', '--config', cfg, '--json'], { YOUTUBE_API_KEY: YT_KEY });
    expect(await p.exited).toBe(0);
    const json = JSON.parse(p.stdout) as Array<Record<string, unknown>>;
    expect(json).toEqual([
      expect.objectContaining({
        text: 'what batch size do you use for fine tuning?',
        askerCount: 2,
        votes: 0,
        streams: [first, second],
        topics: ['Fine tuning', 'fine tuning!'],
        note: null,
        answeredBy: null,
      }),
    ]);
    expect(typeof json[0]!['score']).toBe('number');
    // No item matches a note section: said once, not a heading over "(no matching section)".
    const plain = lectern(['backlog', '--config', cfg], {});
    expect(await plain.exited).toBe(0);
    expect(plain.stdout).toContain('By note section: none yet (no question listed matches a section of the notes)');
    expect(plain.stdout).not.toContain('(no matching section)');
    const all = lectern(['backlog', '--config', cfg, '--json', '--state', 'all'], {});
    expect(await all.exited).toBe(0);
    expect((JSON.parse(all.stdout) as Array<{ answeredBy: string | null }>).map((i) => i.answeredBy).sort()).toEqual(['https://blog.example/kv-cache', null]);

    // Exports: every stream (the first says which post answered alice), and a draft for one topic across streams.
    const out = join(x.dir, 'exports');
    const every = lectern(['export', '--config', cfg, '--all', '-f', 'md', '-o', out], {});
    expect(await every.exited).toBe(0);
    const firstMd = readFileSync(join(out, `stream-${first}.md`), 'utf8');
    expect(firstMd).toContain('how does the kv cache work in transformers?');
    expect(firstMd).toContain('answered in [How the KV cache works in transformers](https://blog.example/kv-cache)');
    expect(readFileSync(join(out, `stream-${second}.md`), 'utf8')).toContain('what batch size do you use for fine tuning');
    const draft = lectern(['export', '--config', cfg, '-f', 'md', '--topic', 'Fine Tuning'], {});
    expect(await draft.exited).toBe(0);
    // Titled as the topic was set in a stream (the most engaging of its spellings), not as typed here.
    expect(draft.stdout).toMatch(/# Open questions: (Fine tuning|fine tuning!)\n/);
    expect(draft.stdout).not.toContain('Fine Tuning');
    expect(draft.stdout).toContain('what batch size do you use for fine tuning?');
    expect(draft.stdout).not.toContain('kv cache');
    const bad = lectern(['export', '--config', cfg, '-f', 'csv', '--topic', 'x'], {});
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toMatch(/use --format md/);
    // A topic no question was asked under: exit 2, the known ones named, nothing written.
    const nope = lectern(['export', '--config', cfg, '-f', 'md', '--topic', 'Nope', '-o', join(x.dir, 'nope.md')], {});
    expect(await nope.exited).toBe(2);
    expect(nope.stderr).toMatch(/No topic "Nope"; known topics: .*"fine tuning!?"/i);
    expect(existsSync(join(x.dir, 'nope.md'))).toBe(false);
    // --stream picks one session: with --all or a backlog draft it is refused, not ignored.
    const both = lectern(['export', '--config', cfg, '--all', '--stream', String(first), '-f', 'md'], {});
    expect(await both.exited).toBe(2);
    expect(both.stderr).toBe('lectern export: --stream picks one stream session; --all exports every one: choose one\n');
    // A file in a folder that does not exist yet: the folders are made, as --all makes its folder.
    const deep = join(x.dir, 'drafts', 'week 2', 'stream.md');
    const one = lectern(['export', '--config', cfg, '--stream', String(first), '-f', 'md', '-o', deep], {});
    expect(await one.exited).toBe(0);
    expect(readFileSync(deep, 'utf8')).toContain('how does the kv cache work in transformers?');
    // The same key as a known topic (case and punctuation aside) is not unknown.
    const same = lectern(['export', '--config', cfg, '-f', 'md', '--topic', 'FINE TUNING?'], {});
    expect(await same.exited).toBe(0);
    expect(same.stdout).toContain('what batch size do you use for fine tuning?');
  });
});
