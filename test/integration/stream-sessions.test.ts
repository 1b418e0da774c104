import { afterEach, describe, expect, it } from 'vitest';
import { collectExport, render } from '../../src/export/index.js';
import { HelixSim } from '../../src/sim/index.js';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { advance, startHarness, startYouTubeHarness, TOKEN, untilClock, viewer, type Harness, type YouTubeHarness } from '../helpers.js';

/**
 * YouTube by channel (found with an API key, 2 units a look), VOD links from the platforms' own
 * recordings and start times, and stream sessions that follow going live and offline.
 */
let y: YouTubeHarness | undefined;
let t: Harness | undefined;
let helix: HelixSim | undefined;
afterEach(async () => {
  await y?.close();
  await t?.close();
  await helix?.stop();
  y = t = helix = undefined;
});

const CHANNEL = 'UCabcdefghijklmnopqrstuv';
const ytStatus = (x: YouTubeHarness) => (x.app.platforms.find((p) => p.id === 'youtube') as YouTubePlatform).status();
const exportOf = (app: Harness['app'], streamId: number) => collectExport(app.storeForReading(), streamId, app.config.stream.vodUrl, app.clock.now());

describe('YouTube by channel', () => {
  it("waits cheaply for the channel to go live, finds its stream with a key only, and links the VOD from the video's own start", async () => {
    y = await startYouTubeHarness({ transport: 'poll', live: false, source: `channelId: "@teacher"`, youtubeYaml: '  waitForLiveSeconds: 60\n', start: false });
    const x = y;
    x.yt.addChannel(CHANNEL, '@teacher');
    await x.app.start();
    await untilClock(
      x.clock,
      () => /waiting for channel @teacher to go live \(checking every 60 s, 2 quota units a check\)/.test(ytStatus(x).detail ?? ''),
      'waiting',
      5000,
      1000,
    );
    // Named as configured while nothing is live (not "mine", which is for broadcast: mine).
    expect(ytStatus(x).channel).toBe('@teacher');
    for (let i = 0; i < 180; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 1)));
    const calls = (m: string) => x.yt.calls.filter((c) => c.method === m).length;
    // The handle once; then per minute one playlist look and (with uploads) one videos look.
    expect(calls('channels')).toBe(1);
    expect(calls('playlistItems')).toBeGreaterThanOrEqual(3);
    expect(calls('playlistItems')).toBeLessThanOrEqual(5);
    expect(ytStatus(x).quota?.used).toBe(x.yt.unitsUsed);
    // The stream started 10 minutes before the bot found it.
    const videoStart = x.clock.now() - 600_000;
    x.yt.addVideo('vid-channel-1', 'chat-channel-1', { channelId: CHANNEL, title: 'Attention, live', startedAt: videoStart });
    await untilClock(x.clock, () => ytStatus(x).state === 'connected', 'found and reading', 8000, 1000);
    x.yt.post('chat-channel-1', { channelId: 'UC-alice', displayName: '@alice' }, '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question', 5000, 500);
    const data = exportOf(x.app, x.app.currentStream!.id);
    const q = JSON.parse(render('json', data).text).questions[0] as { vodLink: string; offsetSeconds: number };
    expect(q.vodLink).toMatch(/^https:\/\/youtu\.be\/vid-channel-1\?t=(\d+)s$/);
    // Counted from the video's own start (10 minutes before the bot found it), not the bot's.
    const askedAt = x.app.questions.all()[0]!.createdAt;
    expect(Number(/t=(\d+)s/.exec(q.vodLink)![1])).toBe(Math.floor((askedAt - videoStart) / 1000));
    expect(Math.floor((askedAt - videoStart) / 1000)).toBeGreaterThan(600);
    expect(data.recordings).toEqual([
      expect.objectContaining({ platform: 'youtube', title: 'Attention, live', vodUrl: 'https://youtu.be/vid-channel-1?t={seconds}s' }),
    ]);
  });

  it.each(['poll', 'stream', 'auto'] as const)(
    'when the stream ends the session ends and the service waits; the next stream is a new session (%s)',
    async (transport) => {
      y = await startYouTubeHarness({ transport, live: false, source: `channelId: ${CHANNEL}`, youtubeYaml: '  waitForLiveSeconds: 30\n' });
      const x = y;
      x.yt.addVideo('vid-a', 'chat-a', { channelId: CHANNEL, title: 'Monday: attention' });
      await untilClock(x.clock, () => ytStatus(x).state === 'connected', 'first stream', 8000, 1000);
      const first = x.app.currentStream!.id;
      x.yt.post('chat-a', { channelId: 'UC-bob', displayName: '@bob' }, '!q how do you pick the number of heads?');
      await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question in the first stream', 5000, 500);
      x.yt.endStream('vid-a');
      await untilClock(x.clock, () => x.app.storeForReading().streams.get(first)?.endedAt !== null, 'first session ended', 8000, 1000);
      expect(ytStatus(x).detail).toMatch(/waiting for the next live stream of channel/);
      await advance(x.clock, 120_000, 1000);
      x.yt.addVideo('vid-b', 'chat-b', { channelId: CHANNEL, title: 'Wednesday: transformers' });
      await untilClock(x.clock, () => x.app.currentStream!.id !== first && ytStatus(x).state === 'connected', 'second session', 8000, 1000);
      expect(x.app.questions.all()).toEqual([]);
      const list = x.app.storeForReading().streams.summaries();
      expect(list.map((s) => [s.id, s.titles['youtube']])).toEqual([
        [first + 1, 'Wednesday: transformers'],
        [first, 'Monday: attention'],
      ]);
    },
  );
});

describe('Twitch live status from Helix', () => {
  it('records the broadcast (start, title, archive video), links the VOD from its start, and follows offline and live', async () => {
    helix = new HelixSim({ tokens: { [TOKEN]: ['chat:read', 'chat:edit'] }, clientId: 'app-client', users: { teacher: '1000' }, live: false });
    await helix.start();
    t = await startHarness({ twitchExtra: `  clientId: app-client\n  helixUrl: ${helix.url}\n` });
    const x = t;
    const first = x.app.currentStream!.id;
    helix.goLive('Learning in public: RoPE');
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.storeForReading().streamPlatforms.list(x.app.currentStream!.id).length === 1, 'live recorded', 5000, 1000);
    const live = x.app.currentStream!.id;
    expect(live).toBe(first);
    const [rec] = x.app.storeForReading().streamPlatforms.list(live);
    expect(rec).toMatchObject({
      platform: 'twitch',
      title: 'Learning in public: RoPE',
      videoId: helix.archives.at(-1)!.id,
      vodUrl: `https://www.twitch.tv/videos/${helix.archives.at(-1)!.id}?t={hms}`,
    });
    await advance(x.clock, 120_000, 1000);
    x.sim.chat('teacher', viewer('alice'), '!q what is rotary position embedding?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question');
    const json = JSON.parse(render('json', exportOf(x.app, live)).text) as { questions: Array<{ vodLink: string }> };
    expect(json.questions[0]!.vodLink).toMatch(new RegExp(`^https://www\\.twitch\\.tv/videos/${helix.archives.at(-1)!.id}\\?t=3m\\d+s$`));
    helix.goOffline();
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.storeForReading().streams.get(live)?.endedAt !== null, 'session ended', 5000, 1000);
    helix.goLive('Learning in public: ALiBi');
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.currentStream!.id !== live, 'a new session', 5000, 1000);
  });

  it('questions asked after going live but before Lectern saw it belong to the new broadcast, with the numbers viewers were told', async () => {
    // Helix counts time on the harness's clock (created just below), so its started_at lines up.
    let clockOf: (() => number) | undefined;
    helix = new HelixSim({
      tokens: { [TOKEN]: ['chat:read', 'chat:edit'] },
      clientId: 'app-client',
      users: { teacher: '1000' },
      live: false,
      clock: { now: () => clockOf?.() ?? Date.now() } as never,
    });
    await helix.start();
    t = await startHarness({ twitchExtra: `  clientId: app-client\n  helixUrl: ${helix.url}\n` });
    const x = t;
    clockOf = () => x.clock.now();
    helix.goLive('Monday: attention');
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.storeForReading().streamPlatforms.list(x.app.currentStream!.id).length === 1, 'live recorded', 5000, 1000);
    const monday = x.app.currentStream!.id;
    x.sim.chat('teacher', viewer('alice'), '!q what is a query vector?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'a question on Monday');
    helix.goOffline();
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.storeForReading().streams.get(monday)?.endedAt !== null, 'Monday ended', 5000, 1000);
    await advance(x.clock, 3_600_000, 60_000);
    // Wednesday goes live; a viewer asks at once, before the next Helix look.
    helix.goLive('Wednesday: transformers');
    x.sim.chat('teacher', viewer('bob'), '!q how many heads should i use?');
    await untilClock(x.clock, () => x.sim.sent.some((m) => m.text.includes('@bob noted as #2')), 'bob told #2', 5000, 100);
    await advance(x.clock, 61_000, 1000);
    await untilClock(x.clock, () => x.app.currentStream!.id !== monday, 'Wednesday began', 5000, 1000);
    const wednesday = x.app.currentStream!.id;
    const store = x.app.storeForReading();
    expect(store.questions.list(monday).map((q) => q.text)).toEqual(['what is a query vector?']);
    const moved = store.questions.list(wednesday);
    expect(moved.map((q) => [q.number, q.text, q.topicId])).toEqual([[2, 'how many heads should i use?', null]]);
    expect(moved[0]!.offsetSeconds).toBeLessThan(5);
    // The number bob was told still works, and the next question follows it.
    x.sim.chat('teacher', viewer('carol'), '!up 2');
    x.sim.chat('teacher', viewer('dave'), '!q what does the output projection do?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2 && x.app.questions.get(2)!.votes === 1, 'vote and a new question', 5000, 500);
    expect(x.app.questions.get(3)!.text).toBe('what does the output projection do?');
  });
});
