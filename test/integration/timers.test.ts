import { afterEach, describe, expect, it } from 'vitest';
import { advance, startHarness, startYouTubeHarness, untilClock, viewer, type Harness, type YouTubeHarness } from '../helpers.js';

let h: Harness | undefined;
let y: YouTubeHarness | undefined;
afterEach(async () => {
  await h?.close();
  await y?.close();
  h = undefined;
  y = undefined;
});

const MIN = 60_000;
const CHAT = 'chat-live-01';

describe('timers (real clients against the simulators)', () => {
  it('a timer speaks only after enough chat since its last message, and not before its time', async () => {
    h = await startHarness({
      extraYaml: `commands:
  custom:
    - { name: discord, response: "Join us: https://discord.example/x" }
timers:
  - { name: ask, message: "Questions? Ask with !q <your question>. Topic: {topic}", everyMinutes: 2, minLines: 3 }
  - { name: dc, command: discord, everyMinutes: 5, minLines: 1, platforms: twitch }
`,
    });
    const x = h;
    const texts = () => x.sim.sent.map((m) => m.text);
    // A quiet chat gets nothing, however long it is quiet.
    await advance(x.clock, 10 * MIN, 1000);
    expect(texts()).toEqual([]);
    x.sim.chat('teacher', viewer('alice'), 'hello');
    x.sim.chat('teacher', viewer('bob'), 'hi all');
    await advance(x.clock, 3000);
    // One line was enough for dc (minLines 1).
    await untilClock(x.clock, () => texts().includes('Join us: https://discord.example/x'), 'the command timer');
    expect(texts().some((t) => t.startsWith('Questions?'))).toBe(false);
    x.sim.chat('teacher', viewer('carol'), 'third line');
    await untilClock(x.clock, () => texts().some((t) => t.startsWith('Questions?')), 'the timer after 3 lines');
    expect(texts()).toContain('Questions? Ask with !q <your question>. Topic: no topic yet');
    // Addressed to nobody, threaded under nothing.
    expect(x.sim.sent.every((m) => m.replyTo === undefined)).toBe(true);
    // More chat at once: not before two minutes.
    for (const v of ['d', 'e', 'f', 'g']) x.sim.chat('teacher', viewer(v), `line from ${v}`);
    await advance(x.clock, 90_000, 1000);
    expect(texts().filter((t) => t.startsWith('Questions?'))).toHaveLength(1);
    await advance(x.clock, 40_000, 1000);
    expect(texts().filter((t) => t.startsWith('Questions?'))).toHaveLength(2);
    expect(x.app.timers.timers.states().find((s) => s.name === 'ask')).toMatchObject({ platform: 'twitch', lines: 0, sent: 2 });
  });

  it('goes through YouTube quota: sent with OAuth, never while the planner says YouTube is read-only', async () => {
    const timers = `timers:\n  - { name: notes, message: "Notes for today: {notes}", everyMinutes: 1, minLines: 2 }\n`;
    y = await startYouTubeHarness({ oauth: true, extraYaml: timers });
    const x = y;
    for (let i = 0; i < 3; i++) x.yt.post(CHAT, { channelId: `UC-v${i}`, displayName: `@v${i}` }, `hello ${i}`);
    await untilClock(x.clock, () => x.yt.inserted.length === 1, 'the timer on YouTube', 8000, 500);
    expect(x.yt.inserted[0]!.text).toBe('Notes for today: no notes yet');
    expect(x.yt.calls.filter((c) => c.method === 'insert').every((c) => c.units === 20)).toBe(true);
    await y.close();

    // No reply reserve: the planner says YouTube is read-only, so the timer never sends there.
    y = await startYouTubeHarness({ oauth: true, extraYaml: timers, youtubeYaml: '  quota: { replyReserve: 0 }\n' });
    const z = y;
    await untilClock(z.clock, () => z.app.statuses()[0]!.state === 'connected', 'connected', 5000, 500);
    for (let i = 0; i < 6; i++) z.yt.post(CHAT, { channelId: `UC-v${i}`, displayName: `@v${i}` }, `hello ${i}`);
    await advance(z.clock, 5 * MIN, 1000);
    expect(z.yt.inserted).toEqual([]);
    expect(z.yt.calls.some((c) => c.method === 'insert')).toBe(false);
  });

  it('only while the stream session is active', async () => {
    y = await startYouTubeHarness({
      withTwitch: true,
      extraYaml: `timers:\n  - { name: hi, message: "Welcome! Ask with !q", everyMinutes: 1, minLines: 1, platforms: twitch }\n`,
    });
    const x = y;
    await untilClock(x.clock, () => x.app.statuses().every((s) => s.state === 'connected'), 'connected', 5000, 500);
    const welcomes = () => x.twitch!.sent.filter((m) => m.text === 'Welcome! Ask with !q').length;
    await advance(x.clock, MIN, 1000);
    x.twitch!.chat('teacher', viewer('zoe'), 'hi');
    await untilClock(x.clock, () => welcomes() === 1, 'the timer while live', 5000, 500);
    // YouTube went live: the session follows its live status. The stream ends: every platform is offline.
    x.yt.endStream('vid-live-01');
    await untilClock(x.clock, () => x.app.statuses().find((s) => s.platform === 'youtube')!.state === 'ended', 'ended', 5000, 500);
    x.twitch!.chat('teacher', viewer('alice'), 'still here?');
    x.twitch!.chat('teacher', viewer('bob'), 'hello?');
    await advance(x.clock, 3 * MIN, 1000);
    expect(welcomes()).toBe(1);
    expect(x.app.timers.timers.states().find((s) => s.name === 'hi')!.lines).toBe(2);
  });
});
