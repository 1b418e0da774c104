import { afterEach, describe, expect, it } from 'vitest';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { SIM_SEED, startYouTubeHarness, until, untilClock, viewer, type YouTubeHarness } from '../helpers.js';

let h: YouTubeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const alice = { channelId: 'UC-alice', displayName: '@alice' };
const mod = { channelId: 'UC-mod', displayName: '@mod', moderator: true };
const platform = (x: YouTubeHarness) => x.app.platforms.find((p) => p.id === 'youtube') as YouTubePlatform;
const status = (x: YouTubeHarness) => platform(x).status();
const CHAT = 'chat-live-01';

describe.each(['stream', 'poll'] as const)('YouTube %s transport (real Google client against the simulator)', (transport) => {
  it('reads chat and answers with insert when OAuth is configured', async () => {
    h = await startYouTubeHarness({ transport, oauth: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'a reply', 5000, 500);
    expect(x.yt.inserted[0]!.text).toMatch(/^@alice Commands: !help/);
    expect([...x.yt.inserted[0]!.text].length).toBeLessThanOrEqual(200);
    expect(status(x)).toMatchObject({ transport, canSend: true });
    // The bot's own message comes back in the chat; it is not treated as a viewer's.
    await untilClock(x.clock, () => x.app.bot.stats.processed >= 1, 'processed', 3000, 500);
    const before = x.app.bot.stats.processed;
    for (let i = 0; i < 30; i++) (x.clock.advance(500), await new Promise((r) => setTimeout(r, 2)));
    expect(x.app.bot.stats.processed).toBe(before);
  });

  it('batches answers waiting together into one insert', async () => {
    h = await startYouTubeHarness({ transport, oauth: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    for (let i = 0; i < 6; i++) x.yt.post(CHAT, { channelId: `UC-v${i}`, displayName: `@v${i}` }, '!help');
    // The stream brings the six in pieces over real time: all of them are read before the fake clock
    // moves, so the answers wait together (moving it meanwhile let each go alone, now and then).
    if (transport === 'stream') await until(() => x.app.bot.stats.commands === 6, 'six commands read', 5000);
    await untilClock(x.clock, () => x.app.outboxes.get('youtube')!.stats.repliesDelivered === 6, 'six answers', 8000, 500);
    expect(x.yt.inserted.length).toBeLessThan(6);
    for (const m of x.yt.inserted) expect([...m.text].length).toBeLessThanOrEqual(200);
  });

  it('text in any script arrives whole, however the body is cut into pieces', async () => {
    // The simulator writes the stream in random pieces of 1 to 8 bytes: most multi-byte
    // characters are split between two network chunks.
    h = await startYouTubeHarness({ transport, sim: { streamPieces: { seed: SIM_SEED, maxBytes: 8 } } });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    const seen: string[] = [];
    x.app.bus.on('chat', (e) => seen.push(e.text));
    const texts = ['なぜ softmax を使うの? 🤔 Ünïcödé — «quotes» ✓ 注意力机制', 'ПОЧЕМУ? ¿Por qué? لماذا؟ क्यों? 👩‍💻🇯🇵 𝔼[x]'];
    for (const t of texts) x.yt.post(CHAT, { channelId: 'UC-zoe', displayName: 'Zoë Ünal' }, t);
    await untilClock(x.clock, () => seen.length === 2, 'two messages', 5000, 500);
    expect(seen).toEqual(texts);
    // Detected as a question, and stored unchanged.
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions', 3000, 200);
    expect(x.app.questions.all().map((q) => q.text)).toEqual(texts);
  });

  it('a restart mid-stream replays no old command', async () => {
    h = await startYouTubeHarness({ transport, oauth: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'first reply', 5000, 500);
    await x.restart();
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected again', 5000, 500);
    for (let i = 0; i < 40; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 2)));
    expect(x.yt.inserted).toHaveLength(1);
    x.yt.post(CHAT, mod, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 2, 'reply to the new command', 5000, 500);
    expect(x.app.currentStream?.resumes).toBe(1);
  });
});

describe('YouTube errors', () => {
  it('with an API key only, reads and stays read-only', async () => {
    h = await startYouTubeHarness({ transport: 'poll' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.app.bot.stats.processed === 1, 'read', 5000, 500);
    for (let i = 0; i < 20; i++) (x.clock.advance(500), await new Promise((r) => setTimeout(r, 2)));
    expect(x.yt.inserted).toEqual([]);
    expect(status(x)).toMatchObject({ canSend: false, detail: expect.stringMatching(/read-only/) });
  });

  it('waits cheaply for a video that is not live yet, then finds its chat', async () => {
    h = await startYouTubeHarness({ transport: 'poll', live: false, youtubeYaml: '  waitForLiveSeconds: 60\n' });
    const x = h;
    await untilClock(x.clock, () => x.yt.calls.some((c) => c.method === 'videos'), 'first lookup', 5000, 1000);
    expect(status(x).detail).toMatch(/waiting for video vid-live-01 to go live/);
    for (let i = 0; i < 300; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 1)));
    const lookups = x.yt.calls.filter((c) => c.method === 'videos').length;
    expect(lookups).toBeGreaterThanOrEqual(5);
    expect(lookups).toBeLessThanOrEqual(7);
    x.yt.goLive('vid-live-01', CHAT);
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected after going live', 5000, 1000);
  });

  it.each([
    ['liveChatEnded', 403, 'ended'],
    ['liveChatNotFound', 404, 'failed'],
    ['liveChatDisabled', 403, 'failed'],
    ['forbidden', 403, 'failed'],
  ] as const)('%s stops reading with a clear state', async (reason, code, state) => {
    h = await startYouTubeHarness({ transport: 'poll' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.inject('list', { kind: 'http', status: code, reason });
    await untilClock(x.clock, () => status(x).state === state, state, 5000, 500);
    if (state === 'failed') expect(status(x).detail).toMatch(/vid-live-01/);
    const calls = x.yt.calls.length;
    for (let i = 0; i < 30; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 1)));
    expect(x.yt.calls.length).toBe(calls);
  });

  it.each(['stream', 'poll'] as const)('a page with offlineAt ends the platform while the chat stays open (%s)', async (transport) => {
    h = await startYouTubeHarness({ transport });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.goOffline(CHAT);
    await untilClock(x.clock, () => status(x).state === 'ended', 'ended', 5000, 500);
    expect(status(x).detail).toMatch(/offline/);
    const calls = x.yt.calls.length;
    for (let i = 0; i < 30; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 1)));
    expect(x.yt.calls.length).toBe(calls);
  });

  it('a chatEndedEvent ends the platform', async () => {
    h = await startYouTubeHarness({ transport: 'stream' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.post(CHAT, { channelId: 'UC-owner', displayName: '@teacher', owner: true }, '', 'chatEndedEvent');
    await untilClock(x.clock, () => status(x).state === 'ended', 'ended', 5000, 500);
    expect(status(x).detail).toMatch(/live chat ended/);
  });

  it('rateLimitExceeded backs off; 5xx and network faults back off with jitter, then recover', async () => {
    h = await startYouTubeHarness({ transport: 'poll' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.inject('list', { kind: 'http', status: 403, reason: 'rateLimitExceeded' });
    x.yt.inject('list', { kind: 'http', status: 503, reason: 'backendError' }, 3);
    x.yt.inject('list', { kind: 'malformed' });
    await untilClock(x.clock, () => status(x).state === 'reconnecting', 'backing off', 5000, 500);
    const t0 = x.clock.now();
    await untilClock(x.clock, () => status(x).state === 'connected', 'recovered', 10_000, 500);
    // 10 s for the rate limit, then 1, 2, 4 s and 8 s (jitter fixed at the middle): at least 16 s.
    expect(x.clock.now() - t0).toBeGreaterThanOrEqual(16_000);
    x.yt.post(CHAT, alice, 'still here?');
    await untilClock(x.clock, () => x.app.bot.stats.processed >= 1, 'reads again', 5000, 500);
    expect(x.yt.quotaErrors).toBe(0);
  });

  it('quotaExceeded pauses reading until the reset, and says so', async () => {
    h = await startYouTubeHarness({ transport: 'poll' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.inject('list', { kind: 'http', status: 403, reason: 'quotaExceeded' });
    await untilClock(x.clock, () => /quota/.test(status(x).detail ?? ''), 'quota state', 5000, 500);
    expect(status(x).quota?.remaining).toBe(0);
    const calls = x.yt.calls.length;
    for (let i = 0; i < 60; i++) (x.clock.advance(60_000), await new Promise((r) => setTimeout(r, 1)));
    expect(x.yt.calls.length).toBe(calls);
  });

  it('pageTokenInvalid starts again from recent chat without answering old commands twice', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'reply', 5000, 500);
    x.yt.inject('list', { kind: 'http', status: 400, reason: 'pageTokenInvalid' });
    for (let i = 0; i < 40; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 2)));
    expect(x.yt.inserted).toHaveLength(1);
    expect(status(x).state).toBe('connected');
  });

  it('auto falls back to polling on a stream body it cannot read', async () => {
    h = await startYouTubeHarness({ transport: 'auto', start: false });
    const x = h;
    x.yt.inject('stream', { kind: 'malformed' });
    await x.app.start();
    await untilClock(x.clock, () => status(x).transport === 'poll' && status(x).state === 'connected', 'polling', 5000, 500);
    x.yt.post(CHAT, alice, 'hello');
    await untilClock(x.clock, () => x.app.bot.stats.processed >= 1, 'read by polling', 5000, 500);
  });

  it('an expired access token (401) is refreshed and the call retried, without losing chat', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    const tokensBefore = x.yt.calls.filter((c) => c.method === 'token').length;
    x.yt.revokeAccessTokens();
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'answered after refresh', 8000, 500);
    expect(x.yt.calls.filter((c) => c.method === 'token').length).toBeGreaterThan(tokensBefore);
    expect(status(x).state).toBe('connected');
  });

  it("auto falls back to polling when the stream endpoint answers an HTTP error that is not the chat's", async () => {
    h = await startYouTubeHarness({ transport: 'auto' });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.inject('stream', { kind: 'http', status: 501, reason: 'notImplemented', domain: 'global' });
    // End the current stream so the next call is a new stream call that fails.
    for (let i = 0; i < 70; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 2)));
    await untilClock(x.clock, () => status(x).transport === 'poll', 'polling', 5000, 500);
    x.yt.post(CHAT, alice, 'hello from poll');
    await untilClock(x.clock, () => x.app.bot.stats.processed >= 1, 'read by polling', 5000, 500);
    expect(x.yt.calls.some((c) => c.method === 'list' && c.status === 200)).toBe(true);
  });

  it('a stream cut mid-object resumes with the last page token and loses nothing', async () => {
    h = await startYouTubeHarness({ transport: 'stream', sim: { streamHoldMs: 5_000 } });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);
    x.yt.inject('stream', { kind: 'cut' });
    for (let i = 0; i < 5; i++) x.yt.post(CHAT, { channelId: `UC-c${i}`, displayName: `@c${i}` }, `message ${i}`);
    await untilClock(x.clock, () => x.app.bot.stats.processed === 5, 'all five read once', 10_000, 500);
    for (let i = 0; i < 20; i++) (x.clock.advance(1000), await new Promise((r) => setTimeout(r, 2)));
    expect(x.app.bot.stats.processed).toBe(5);
  });

  it('a revoked refresh token is a clear error naming the fix', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true, start: false });
    h.yt.revoked.add('1//sim-refresh-token');
    await expect(h.app.start()).rejects.toMatchObject({
      code: 'PLATFORM_AUTH_FAILED',
      message: expect.stringMatching(/lectern auth youtube.*7 days|7 days.*lectern auth youtube/s),
    });
  });
});

describe('Twitch and YouTube together', () => {
  it('answers each platform on its own platform', async () => {
    h = await startYouTubeHarness({ transport: 'stream', oauth: true, withTwitch: true });
    const x = h;
    await untilClock(x.clock, () => status(x).state === 'connected', 'youtube connected', 5000, 500);
    x.twitch!.chat('teacher', viewer('twitchfan'), '!help');
    x.yt.post(CHAT, { channelId: 'UC-ytfan', displayName: '@ytfan' }, '!help');
    await untilClock(x.clock, () => x.twitch!.sent.length === 1 && x.yt.inserted.length === 1, 'both answered', 8000, 500);
    expect(x.twitch!.sent[0]!.text).toMatch(/^@twitchfan /);
    expect(x.yt.inserted[0]!.text).toMatch(/^@ytfan /);
    expect(x.twitch!.sent.some((m) => m.text.includes('ytfan'))).toBe(false);
  });
});
