import { describe, expect, it } from 'vitest';
import { createGuard, Health, LecternError, ManualClock, silentLogger, type PlatformSignal, type SendLimits } from '../../src/core/index.js';
import { Outbox, splitMessage, safeOutgoing } from '../../src/outbox/index.js';

const REGULAR: SendLimits = { maxLength: 500, perWindow: 20, windowMs: 30_000, minIntervalMs: 1_000, duplicateWindowMs: 30_000 };

interface SendHistory {
  load(): readonly number[];
  save(times: readonly number[]): void;
}

function fakePlatform(limits: SendLimits = REGULAR, options: { history?: SendHistory } = {}) {
  const sent: Array<{ at: number; text: string; replyTo?: string }> = [];
  const handlers: Array<(s: PlatformSignal) => void> = [];
  const p = {
    id: 'twitch' as const,
    canSend: true,
    state: undefined as string | undefined,
    failNext: 0,
    sent,
    limits: () => limits,
    status: () => ({ canSend: p.canSend, state: p.state }) as never,
    onSignal: (h: (s: PlatformSignal) => void) => handlers.push(h),
    signal: (s: PlatformSignal) => handlers.forEach((h) => h(s)),
    send: async (m: { text: string; replyTo?: string }) => {
      if (p.failNext > 0) {
        p.failNext--;
        throw new LecternError('PLATFORM_SEND_FAILED');
      }
      sent.push({ at: clock.now(), text: m.text, ...(m.replyTo ? { replyTo: m.replyTo } : {}) });
    },
  };
  const clock = new ManualClock(0);
  const logger = silentLogger();
  const health = new Health(clock);
  const outbox = new Outbox({ platform: p, clock, logger, guard: createGuard(logger, health), health, maxDelayMs: 60_000, maxQueue: 50, ...options });
  return { p, clock, outbox, health };
}

const tick = () => new Promise((r) => setImmediate(r));
async function run(clock: ManualClock, ms: number) {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    await tick();
  }
}

describe('outbox', () => {
  it('sends at once, threaded, with the mention', async () => {
    const { p, outbox } = fakePlatform();
    outbox.enqueue({ channel: 'c', text: 'hello', mention: '@alice', replyTo: 'm1' });
    await tick();
    expect(p.sent).toEqual([{ at: 0, text: '@alice hello', replyTo: 'm1' }]);
  });

  it('never exceeds the per-window count nor the minimum interval', async () => {
    const { p, clock, outbox } = fakePlatform({ ...REGULAR, maxLength: 40 });
    // Long-ish distinct texts so they cannot be packed together.
    for (let i = 0; i < 45; i++) outbox.enqueue({ channel: 'c', text: `answer number ${i} ${'x'.repeat(20)}` });
    await run(clock, 70_000);
    const times = p.sent.map((s) => s.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    for (const t of times) expect(times.filter((u) => u > t - 30_000 && u <= t).length).toBeLessThanOrEqual(20);
    expect(p.sent.length).toBeGreaterThan(40);
  });

  it('coalesces replies that back up into one message per fitting group', async () => {
    const { p, clock, outbox } = fakePlatform();
    outbox.enqueue({ channel: 'c', text: 'first', mention: '@a', replyTo: 'm0' });
    for (const u of ['b', 'c', 'd']) outbox.enqueue({ channel: 'c', text: 'same answer', mention: `@${u}`, replyTo: `m-${u}` });
    outbox.enqueue({ channel: 'c', text: 'other answer', mention: '@e' });
    await run(clock, 1_500);
    expect(p.sent.map((s) => s.text)).toEqual(['@a first', '@b @c @d same answer · @e other answer']);
    expect(p.sent[1]!.replyTo).toBeUndefined();
    expect(outbox.stats).toMatchObject({ sent: 2, repliesDelivered: 5, coalesced: 3 });
  });

  it('drops replies that waited past their deadline, and counts them', async () => {
    const { p, clock, outbox } = fakePlatform();
    p.canSend = false;
    outbox.enqueue({ channel: 'c', text: 'late', mention: '@a' });
    await run(clock, 61_000);
    p.canSend = true;
    p.signal({ type: 'status', status: { state: 'connected' } as never });
    await tick();
    expect(p.sent).toEqual([]);
    expect(outbox.stats.droppedLate).toBe(1);
  });

  it('waits while disconnected and sends once connected again', async () => {
    const { p, clock, outbox } = fakePlatform();
    p.canSend = false;
    outbox.enqueue({ channel: 'c', text: 'patience', mention: '@a' });
    await run(clock, 5_000);
    expect(p.sent).toEqual([]);
    p.canSend = true;
    p.signal({ type: 'status', status: { state: 'connected' } as never });
    await tick();
    expect(p.sent.map((s) => s.text)).toEqual(['@a patience']);
  });

  it('never sends the same text twice within the duplicate window', async () => {
    const { p, clock, outbox } = fakePlatform();
    outbox.enqueue({ channel: 'c', text: 'same', mention: '@a' });
    await run(clock, 2_000);
    outbox.enqueue({ channel: 'c', text: 'same', mention: '@a' });
    await run(clock, 2_000);
    expect(p.sent).toHaveLength(1);
    expect(outbox.stats.droppedDuplicate).toBe(1);
    await run(clock, 30_000);
    outbox.enqueue({ channel: 'c', text: 'same', mention: '@a' });
    await run(clock, 1_000);
    expect(p.sent).toHaveLength(2);
  });

  it('slows down after a rate-limit notice and resends the rejected message once', async () => {
    const { p, clock, outbox } = fakePlatform();
    outbox.enqueue({ channel: 'c', text: 'one', mention: '@a' });
    await tick();
    p.signal({ type: 'send-rejected', reason: 'ratelimit', code: 'msg_ratelimit' });
    outbox.enqueue({ channel: 'c', text: 'two', mention: '@b' });
    await run(clock, 29_000);
    expect(p.sent.map((s) => s.text)).toEqual(['@a one']);
    await run(clock, 2_000);
    expect(p.sent.map((s) => s.text)).toEqual(['@a one', '@a one · @b two']);
  });

  it('a rejected message of several replies: each goes out again once, and is counted delivered once', async () => {
    const { p, clock, outbox } = fakePlatform();
    outbox.enqueue({ channel: 'c', text: 'first', mention: '@a' });
    await tick();
    outbox.enqueue({ channel: 'c', text: 'two', mention: '@b' });
    outbox.enqueue({ channel: 'c', text: 'three', mention: '@c' });
    await run(clock, 1_100);
    expect(p.sent.map((s) => s.text)).toEqual(['@a first', '@b two · @c three']);
    expect(outbox.stats.repliesDelivered).toBe(3);
    p.signal({ type: 'send-rejected', reason: 'ratelimit', code: 'msg_ratelimit' });
    expect(outbox.stats.repliesDelivered).toBe(1);
    await run(clock, 32_000);
    expect(p.sent.map((s) => s.text)).toEqual(['@a first', '@b two · @c three', '@b two · @c three']);
    expect(outbox.stats.repliesDelivered).toBe(3);
    // Rejected again: dropped this time, never counted.
    p.signal({ type: 'send-rejected', reason: 'ratelimit', code: 'msg_ratelimit' });
    await run(clock, 40_000);
    expect(p.sent).toHaveLength(3);
    expect(outbox.stats.repliesDelivered).toBe(1);
  });

  it('keeps replies when a send fails, and reports the failure', async () => {
    const { p, clock, outbox, health } = fakePlatform();
    p.failNext = 1;
    outbox.enqueue({ channel: 'c', text: 'retry me', mention: '@a' });
    await tick();
    expect(p.sent).toEqual([]);
    expect(health.list()[0]).toMatchObject({ component: 'twitch.send', code: 'PLATFORM_SEND_FAILED' });
    await run(clock, 1_100);
    expect(p.sent.map((s) => s.text)).toEqual(['@a retry me']);
    // Sent after all: the sending problem is over, and whoever listens hears it ended.
    expect(health.list()).toEqual([]);
  });

  it("a message that goes out ends only its own platform's sending problems", async () => {
    const { clock, outbox, health } = fakePlatform();
    const ended: string[] = [];
    health.onResolved((pr) => ended.push(`${pr.component}:${pr.code}`));
    health.report('twitch.send', new LecternError('PLATFORM_SEND_REFUSED', 'refused'));
    health.report('youtube.send', new LecternError('PLATFORM_SEND_REFUSED', 'refused'));
    health.report('knowledge', new LecternError('INTERNAL', 'notes unreadable'));
    outbox.enqueue({ channel: 'c', text: 'hello' });
    await run(clock, 100);
    expect(ended).toEqual(['twitch.send:PLATFORM_SEND_REFUSED']);
    expect(health.list().map((pr) => pr.component)).toEqual(['youtube.send', 'knowledge']);
    // The streamer sets one aside; one that is gone already cannot be.
    expect(health.dismiss('knowledge', 'INTERNAL')).toBe(true);
    expect(health.dismiss('knowledge', 'INTERNAL')).toBe(false);
    expect(ended).toEqual(['twitch.send:PLATFORM_SEND_REFUSED', 'knowledge:INTERNAL']);
  });

  it('refuses at once on a platform connected but unable to send (read-only); waits while it connects', () => {
    const { p, outbox } = fakePlatform();
    p.canSend = false;
    p.state = 'connected';
    expect(outbox.enqueue({ channel: 'c', text: 'never delivered', mention: '@a' })).toBe('refused');
    expect(outbox.stats.refused).toBe(1);
    expect(outbox.pending).toBe(0);
    p.state = 'reconnecting';
    expect(outbox.enqueue({ channel: 'c', text: 'soon', mention: '@a' })).toBe('queued');
    expect(outbox.pending).toBe(1);
  });

  it('refuses beyond maxQueue instead of growing', () => {
    const { p, outbox } = fakePlatform();
    p.canSend = false;
    const results = Array.from({ length: 60 }, (_, i) => outbox.enqueue({ channel: 'c', text: `t${i}` }));
    expect(results.filter((r) => r === 'full')).toHaveLength(10);
    expect(outbox.pending).toBe(50);
  });

  it('splits a long reply at word boundaries, in order, mention on the first part only', async () => {
    const { p, clock, outbox } = fakePlatform();
    const words = Array.from({ length: 150 }, (_, i) => `word${i}`).join(' ');
    outbox.enqueue({ channel: 'c', text: words, mention: '@alice' });
    await run(clock, 5_000);
    expect(p.sent.length).toBe(3);
    expect(p.sent[0]!.text.startsWith('@alice word0 ')).toBe(true);
    expect(p.sent.every((s) => [...s.text].length <= 500)).toBe(true);
    expect(
      p.sent
        .map((s) => s.text)
        .join(' ')
        .replace('@alice ', ''),
    ).toBe(words);
  });

  it('never sends a chat command and never more than one line', () => {
    expect(safeOutgoing('/ban streamer')).toBe('ban streamer');
    expect(safeOutgoing('.timeout x 600')).toBe('timeout x 600');
    expect(safeOutgoing('line one\r\nPRIVMSG #x :injected')).toBe('line one PRIVMSG #x :injected');
  });
});

describe('splitMessage', () => {
  it('cuts words longer than the limit and respects code points', () => {
    expect(splitMessage('a'.repeat(12), 5)).toEqual(['aaaaa', 'aaaaa', 'aa']);
    expect(splitMessage('🎉'.repeat(6), 4)).toEqual(['🎉🎉🎉🎉', '🎉🎉']);
    expect(splitMessage('one two three', 7)).toEqual(['one two', 'three']);
    expect(splitMessage('   ', 5)).toEqual([]);
  });
});

describe('outbox send history', () => {
  it('remembers send times across a restart, so a crash cannot push the account over the limit', async () => {
    const saved: number[][] = [];
    const history: SendHistory = { load: () => saved.at(-1) ?? [], save: (t) => void saved.push([...t]) };
    const { p, clock, outbox } = fakePlatform(REGULAR, { history });
    for (let i = 0; i < 20; i++) outbox.enqueue({ channel: 'c', text: `message ${i} ${'x'.repeat(480)}` });
    await run(clock, 25_000);
    expect(p.sent).toHaveLength(20);
    expect(saved.at(-1)).toHaveLength(20);
    // A new outbox (a restarted process) with the same history waits for the window.
    const second = fakePlatform(REGULAR, { history });
    second.clock.advance(clock.now());
    second.outbox.restoreHistory();
    second.outbox.enqueue({ channel: 'c', text: 'after the restart' });
    await run(second.clock, 2_000);
    expect(second.p.sent).toEqual([]);
    await run(second.clock, 10_000);
    expect(second.p.sent.map((m) => m.text)).toEqual(['after the restart']);
  });
});
