import { afterEach, describe, expect, it } from 'vitest';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { advance, startYouTubeHarness, untilClock, type YouTubeHarness } from '../helpers.js';

/**
 * What real YouTube does beyond plain chat, through the real Google client against the simulator:
 * the bot signed in as the streamer, moderation and tombstones, Super Chats, a bot banned from the
 * chat, errors inside the streamed array, and what a 403 costs with OAuth.
 */
let h: YouTubeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CHAT = 'chat-live-01';
const owner = { channelId: 'UC-teacher', displayName: '@teacher', owner: true };
const mod = { channelId: 'UC-mod', displayName: '@mod', moderator: true };
const alice = { channelId: 'UC-alice', displayName: '@alice' };
const bob = { channelId: 'UC-bob', displayName: 'Bob Builder' };
const status = (x: YouTubeHarness) => (x.app.platforms.find((p) => p.id === 'youtube') as YouTubePlatform).status();
const connected = (x: YouTubeHarness) => untilClock(x.clock, () => status(x).state === 'connected', 'connected', 5000, 500);

describe("the streamer's own channel as the bot (broadcast: mine)", () => {
  it("the owner's commands keep working after the bot's replies come back in the list", async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true, source: 'broadcast: mine', sim: { botAuthor: owner } });
    const x = h;
    await connected(x);
    x.yt.post(CHAT, alice, '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'ack', 5000, 500);
    // The ack is listed as the owner's message; the owner then types a command.
    x.yt.post(CHAT, owner, '!answered 1');
    await untilClock(x.clock, () => x.app.questions.get(1)?.state === 'answered', 'the owner was obeyed', 5000, 500);
    x.yt.post(CHAT, owner, '!q what should we cover next week?');
    await untilClock(x.clock, () => x.app.questions.get(2) !== undefined, "the owner's question", 5000, 500);
    await advance(x.clock, 20_000, 500);
    // Every message but the bot's own inserts was handled: alice's, the owner's two.
    expect(x.app.bot.stats.processed).toBe(3);
  });

  it("a reply that comes back on the stream before its insert answers is still the bot's own", async () => {
    h = await startYouTubeHarness({ transport: 'stream', oauth: true, source: 'broadcast: mine', sim: { botAuthor: owner } });
    const x = h;
    await connected(x);
    x.yt.inject('insert', { kind: 'late-answer', ms: 300 });
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1 && x.app.outboxes.get('youtube')!.stats.sent === 1, 'reply', 5000, 200);
    await advance(x.clock, 10_000, 500);
    expect(x.app.bot.stats.processed).toBe(1);
    // After a restart the bot's message ids are still known.
    await x.restart();
    await connected(x);
    x.yt.post(CHAT, owner, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 2, 'answers the owner', 5000, 500);
  });
});

describe('moderation on YouTube', () => {
  it("a deleted message, or its tombstone alone, removes the question; a ban removes the viewer's questions and votes", async () => {
    h = await startYouTubeHarness({ transport: 'stream' });
    const x = h;
    await connected(x);
    const q1 = x.yt.post(CHAT, alice, '!q why is softmax needed in attention?');
    const q2 = x.yt.post(CHAT, bob, '!q how do you pick the number of heads?');
    x.yt.post(CHAT, { channelId: 'UC-troll', displayName: 'troll' }, '!q what is the airspeed of a swallow?');
    await untilClock(x.clock, () => x.app.questions.all().length === 3, 'three questions', 5000, 500);
    x.yt.post(CHAT, { channelId: 'UC-troll', displayName: 'troll' }, '!up 2');
    await untilClock(x.clock, () => x.app.questions.get(2)?.votes === 1, 'vote', 5000, 500);
    x.yt.deleteMessage(CHAT, q1['id'] as string, mod);
    // YouTube may send only the tombstone, with the id of the message it replaces.
    x.yt.tombstone(CHAT, q2['id'] as string);
    x.yt.ban(CHAT, mod, { channelId: 'UC-troll', displayName: 'troll' }, 300);
    await untilClock(x.clock, () => x.app.questions.all().every((q) => q.state === 'removed' || q.number === 2), 'removals', 5000, 500);
    await untilClock(x.clock, () => x.app.questions.get(2)?.state === 'removed', 'tombstone', 5000, 500);
    expect(x.app.questions.all().map((q) => [q.number, q.state, q.votes])).toEqual([
      [1, 'removed', 0],
      [2, 'removed', 0],
      [3, 'removed', 0],
    ]);
  });
});

describe('Super Chats', () => {
  it('a Super Chat that asks is a question ranked above others, its amount kept as given', async () => {
    h = await startYouTubeHarness({ transport: 'poll' });
    const x = h;
    await connected(x);
    x.yt.post(CHAT, alice, '!q how do you pick the number of heads?');
    x.yt.post(CHAT, { channelId: 'UC-c', displayName: '@carol' }, '!up 1');
    x.yt.superChat(CHAT, bob, 'why is softmax needed in attention?', { micros: 5_000_000, currency: 'EUR', display: '€5.00', tier: 2 });
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions', 5000, 500);
    const [top] = x.app.questions.top(2);
    expect(top).toMatchObject({ number: 2, paid: { platform: 'youtube', amount: 5, currency: 'EUR', display: '€5.00', tier: 2 } });
  });
});

describe('YouTube refusing the bot, and errors', () => {
  it('a bot banned from the chat: inserts refused (forbidden), replies counted as refused, reading goes on', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true });
    const x = h;
    await connected(x);
    x.yt.ban(CHAT, mod, { channelId: 'UC-lectern-bot', displayName: 'Lectern Bot' });
    x.yt.post(CHAT, alice, '!help');
    await untilClock(x.clock, () => status(x).canSend === false, 'refused', 5000, 500);
    expect(status(x)).toMatchObject({ state: 'connected', sendBlocked: expect.stringMatching(/forbidden.*unban it or make it a moderator/) });
    const outbox = x.app.outboxes.get('youtube')!;
    x.yt.post(CHAT, { channelId: 'UC-c', displayName: '@carol' }, '!help');
    await untilClock(x.clock, () => outbox.stats.refused === 2, 'both refused', 5000, 500);
    expect(x.yt.calls.filter((c) => c.method === 'insert')).toHaveLength(1);
    expect(outbox.stats.repliesDelivered).toBe(0);
  });

  it('with OAuth a 403 costs one call: no refresh, no repeat', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true });
    const x = h;
    await connected(x);
    const before = x.yt.calls.length;
    x.yt.inject('list', { kind: 'http', status: 403, reason: 'rateLimitExceeded' });
    await untilClock(x.clock, () => x.yt.calls.length > before, 'the failing call', 5000, 500);
    await advance(x.clock, 500, 100);
    const after = x.yt.calls.slice(before);
    expect(after[0]).toMatchObject({ method: 'list', status: 403 });
    expect(after.filter((c) => c.method === 'token' || (c.method === 'list' && c.status === 403))).toHaveLength(1);
  });

  it('an error written inside the streamed array is that error, not an empty page', async () => {
    h = await startYouTubeHarness({ transport: 'stream', sim: { streamHoldMs: 2_000 } });
    const x = h;
    await connected(x);
    x.yt.inject('stream', { kind: 'stream-error', status: 403, reason: 'liveChatEnded' });
    await untilClock(x.clock, () => status(x).state === 'ended', 'ended', 8000, 500);
    const streams = x.yt.calls.filter((c) => c.method === 'stream').length;
    await advance(x.clock, 60_000, 1000);
    expect(x.yt.calls.filter((c) => c.method === 'stream').length).toBe(streams);
  });

  it('addresses a handle as it is and a display name without @', async () => {
    h = await startYouTubeHarness({ transport: 'poll', oauth: true });
    const x = h;
    await connected(x);
    x.yt.post(CHAT, { channelId: 'UC-ada', displayName: '@ada.lovelace' }, '!help');
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'first', 5000, 500);
    await advance(x.clock, 4000, 500);
    x.yt.post(CHAT, { channelId: 'UC-anhad', displayName: 'Anhad Singh' }, '!schedule');
    x.yt.post(CHAT, { channelId: 'UC-evil', displayName: '@@victim visit evil.example/x' }, '!help');
    await untilClock(x.clock, () => x.app.outboxes.get('youtube')!.stats.repliesDelivered === 2, 'second', 8000, 500);
    expect(x.yt.inserted[0]!.text).toMatch(/^@ada\.lovelace Commands:/);
    expect(x.yt.inserted.map((m) => m.text).join(' ')).toMatch(/(^|\s)victim visit Commands:/);
    expect(x.yt.inserted.map((m) => m.text).join(' ')).not.toMatch(/@victim|evil\.example/);
  });
});
