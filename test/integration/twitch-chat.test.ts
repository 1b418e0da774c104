import { afterEach, describe, expect, it } from 'vitest';
import { advance, drainTwitchOutbox, startHarness, until, untilClock, viewer, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CUSTOM = `commands:
  custom:
    - name: discord
      aliases: [chat]
      response: "Join us, {user}: https://discord.example/lectern"
      userCooldown: 30
    - name: so
      response: "Thanks for the support!"
      permission: moderator
    - name: schedule
      response: "Streams are Mon, Wed, Fri."
      globalCooldown: 20
`;

describe('Twitch chat end to end (real tmi.js against the simulator)', () => {
  it('answers !help in a thread under the viewer message', async () => {
    h = await startHarness();
    const id = h.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'reply');
    const [sent] = h.sim.sent;
    expect(sent!.text).toMatch(/^@alice Commands: !help/);
    expect(sent!.replyTo).toBe(id);
    expect(h.app.statuses()[0]).toMatchObject({ state: 'connected', canSend: true });
  });

  it('runs custom commands by name and alias, case-insensitively, with {user}', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    h.sim.chat('teacher', { login: 'bob', displayName: 'Bob' }, '!DISCORD');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'first reply');
    expect(h.sim.sent[0]!.text).toBe('@Bob Join us, @Bob: https://discord.example/lectern');
    await advance(h.clock, 1100);
    h.sim.chat('teacher', viewer('carol'), '!chat please');
    await untilClock(h.clock, () => h!.sim.sent.length === 2, 'alias reply');
    expect(h.sim.sent[1]!.text).toBe('@carol Join us, @carol: https://discord.example/lectern');
  });

  it('ignores unknown commands and ordinary chat', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    h.sim.chat('teacher', viewer('alice'), '!nosuchcommand <script>');
    h.sim.chat('teacher', viewer('alice'), 'hello everyone, what a stream');
    h.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'help reply');
    await advance(h.clock, 2000);
    expect(h.sim.sent).toHaveLength(1);
    expect(h.sim.sent[0]!.text).not.toContain('nosuchcommand');
  });

  it('handles huge, control, zero-width, right-to-left and emoji text without echoing it', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    const hostile = [
      `!help ${'A'.repeat(10_000)}`,
      '!help \u0000\u0007\u001b[31mred\u200B\u200D\u2060',
      '\u202E!help\u202C evil-rtl-marker',
      '!discord 🎉👨‍👩‍👧🔥 مرحبا עברית',
      `${'💥'.repeat(3000)}`,
    ];
    hostile.forEach((t, i) => h!.sim.chat('teacher', viewer(`v${i}`), t));
    await untilClock(h.clock, () => h!.app.bot.stats.processed === hostile.length, 'all processed');
    // Four commands (the RTL one is still !help once cleaned); answers may share messages.
    await untilClock(h.clock, () => h!.app.outboxes.get('twitch')!.stats.repliesDelivered === 4, 'four answers');
    for (const m of h.sim.sent) {
      expect(m.text).not.toMatch(/AAAA|red|evil|مرحبا|עברית|💥|🎉/);
      expect([...m.text].length).toBeLessThanOrEqual(500);
    }
    expect(h.app.health.list().filter((p) => p.code !== 'PLATFORM_SEND_FAILED')).toEqual([]);
  });

  it('enforces permissions: moderators may, viewers may not', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    h.sim.chat('teacher', viewer('viewer1'), '!so');
    h.sim.chat('teacher', viewer('mod1', { moderator: '1' }), '!so');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'mod reply');
    await advance(h.clock, 3000);
    expect(h.sim.sent.map((m) => m.text)).toEqual(['@mod1 Thanks for the support!']);
    h.sim.chat('teacher', { login: 'teacher', badges: { broadcaster: '1' } }, '!so');
    await untilClock(h.clock, () => h!.sim.sent.length === 2, 'broadcaster reply');
  });

  it('applies per-user and global cooldowns on the injected clock; staff are exempt', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    const texts = () => h!.sim.sent.map((m) => m.text);
    h.sim.chat('teacher', viewer('dave'), '!discord');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'first');
    h.sim.chat('teacher', viewer('dave'), '!discord'); // user cooldown 30 s
    h.sim.chat('teacher', viewer('erin'), '!discord'); // another viewer: allowed
    await untilClock(h.clock, () => h!.sim.sent.length === 2, 'erin');
    await advance(h.clock, 5000);
    expect(texts()).toHaveLength(2);
    await advance(h.clock, 26_000);
    h.sim.chat('teacher', viewer('dave'), '!discord');
    await untilClock(h.clock, () => h!.sim.sent.length === 3, 'dave after cooldown');

    h.sim.chat('teacher', viewer('frank'), '!schedule'); // global cooldown 20 s
    await untilClock(h.clock, () => h!.sim.sent.length === 4, 'schedule');
    h.sim.chat('teacher', viewer('gina'), '!schedule');
    await advance(h.clock, 3000);
    expect(h.sim.sent).toHaveLength(4);
    h.sim.chat('teacher', viewer('mod2', { moderator: '1' }), '!schedule');
    await untilClock(h.clock, () => h!.sim.sent.length === 5, 'moderator bypasses cooldown');
  });

  it('does not answer twice when the server repeats a message, nor Shared Chat copies', async () => {
    h = await startHarness();
    h.sim.chat('teacher', viewer('alice'), '!help', { id: 'dup-1' });
    h.sim.chat('teacher', viewer('alice'), '!help', { id: 'dup-1' });
    h.sim.chat('teacher', viewer('bob'), '!help', { id: 'copy-a', 'source-id': 'orig-1' });
    h.sim.chat('teacher', viewer('bob'), '!help', { id: 'copy-b', 'source-id': 'orig-1' });
    await untilClock(h.clock, () => h!.sim.sent.length >= 1, 'reply');
    await advance(h.clock, 5000);
    const mentions = h.sim.sent.flatMap((m) => m.text.match(/@\w+/g) ?? []);
    expect(mentions.sort()).toEqual(['@alice', '@bob']);
  });

  it('reconnects after a dropped connection and after RECONNECT, and keeps answering', async () => {
    h = await startHarness();
    h.sim.dropConnections();
    await until(() => h!.app.statuses()[0]!.state === 'reconnecting', 'reconnecting state');
    await advance(h.clock, 200);
    await untilClock(h.clock, () => h!.sim.joined('teacher') === 1 && h!.app.statuses()[0]!.state === 'connected', 'rejoined after drop');
    h.sim.sendReconnect();
    await untilClock(h.clock, () => h!.sim.connectionsAccepted === 3, 'reconnected after RECONNECT');
    await until(() => h!.sim.joined('teacher') === 1 && h!.app.statuses()[0]!.state === 'connected', 'rejoined after RECONNECT');
    h.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(h.clock, () => h!.sim.sent.length === 1, 'reply after reconnects');
    expect(h.app.statuses()[0]!.reconnects).toBe(2);
  });

  it('backs off between failed reconnects instead of hammering the server', async () => {
    h = await startHarness();
    const port = h.sim.port;
    await h.sim.stop();
    await until(() => h!.app.statuses()[0]!.state === 'reconnecting', 'reconnecting');
    const before = h.app.statuses()[0]!.reconnects;
    // Backoff from 100 ms doubling to 2 s: in 3 s of clock, only a handful of attempts.
    for (let i = 0; i < 30; i++) await advance(h.clock, 100, 100);
    const attempts = h.app.statuses()[0]!.reconnects - before;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(6);
    // Each retry says why, in the log and the status the dashboard shows.
    const retries = h.logLines.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg.startsWith('reconnecting'));
    expect(retries.length).toBeGreaterThanOrEqual(attempts);
    for (const r of retries) expect(r.msg).toMatch(/^reconnecting: \S.+/);
    expect(h.app.statuses()[0]!.detail).toMatch(/\S/);
    await h.sim.start(port);
    for (let i = 0; i < 40 && h.app.statuses()[0]!.state !== 'connected'; i++) await advance(h.clock, 100, 100);
    await until(() => h!.app.statuses()[0]!.state === 'connected', 'connected once the server is back');
  });

  it('a burst of 200 commands from 200 viewers stays within limits and answers everyone', async () => {
    h = await startHarness({ extraYaml: CUSTOM });
    // Half get the same answer, half a personal one ({user}): both kinds must be coalesced.
    for (let i = 0; i < 200; i++) h.sim.chat('teacher', viewer(`viewer${i}`), i % 2 ? '!help' : '!discord');
    await until(() => h!.app.bot.stats.processed === 200, 'all 200 processed');
    await drainTwitchOutbox(h.app, h.sim, h.clock, 20_000, 250);
    await advance(h.clock, 1000);
    expect(h.sim.violations).toEqual([]);
    expect(h.sim.sent.every((m) => !m.rejected && [...m.text].length <= 500)).toBe(true);
    const answered = new Set(h.sim.sent.flatMap((m) => m.text.match(/@viewer\d+/g) ?? []));
    expect(answered.size).toBe(200);
    expect(h.sim.sent.length).toBeLessThan(40);
  });

  it('an elevated bot (moderator) uses the 100 per 30 s tier', async () => {
    h = await startHarness({ sim: { botRole: 'moderator' } });
    expect(h.app.platforms[0]!.limits().perWindow).toBe(100);
    expect(h.app.statuses()[0]!.botRoles).toContain('moderator');
  });

  it('reads anonymously and never tries to send', async () => {
    h = await startHarness({ anonymous: true });
    h.sim.chat('teacher', viewer('alice'), '!help');
    await until(() => h!.app.bot.stats.processed === 1, 'processed');
    await advance(h.clock, 2000);
    expect(h.sim.sent).toEqual([]);
    expect(h.app.statuses()[0]).toMatchObject({ state: 'connected', canSend: false });
  });

  it('a refused login fails start() with a coded error and does not retry', async () => {
    h = await startHarness({ start: false });
    h.sim.refuseLogins(1);
    await expect(h.app.start()).rejects.toMatchObject({ code: 'PLATFORM_AUTH_FAILED' });
    const accepted = h.sim.connectionsAccepted;
    await advance(h.clock, 10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.sim.connectionsAccepted).toBe(accepted);
    expect(h.app.statuses()[0]!.state).toBe('failed');
  });
});
