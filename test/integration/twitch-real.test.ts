import { afterEach, describe, expect, it } from 'vitest';
import { render, collectExport } from '../../src/export/index.js';
import { advance, startHarness, untilClock, viewer, type Harness } from '../helpers.js';

/**
 * What real Twitch does beyond plain chat, through the real tmi.js against the simulator:
 * channels that do not answer, the streamer's own account as the bot, moderation, refusals,
 * room modes, cheers and Shared Chat.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const mod = viewer('modmarta', { moderator: '1' });
const status = (x: Harness) => x.app.statuses()[0]!;
const sentTexts = (x: Harness) => x.sim.sent.filter((m) => !m.rejected).map((m) => m.text);

describe('a channel that does not answer', () => {
  it('a JOIN nobody answers fails within 15 s, names the channel, lets start go on and retries with backoff', async () => {
    h = await startHarness({ sim: { channels: ['someoneelse'] }, start: false });
    const x = h;
    let started = false;
    const starting = x.app.start().then(() => (started = true));
    await untilClock(x.clock, () => started, 'start() to return', 8000, 500);
    await starting;
    expect(status(x)).toMatchObject({ state: 'failed', detail: '#teacher: no such channel, or it is suspended; check twitch.channel' });
    expect(x.app.health.list()).toContainEqual(expect.objectContaining({ component: 'twitch', code: 'PLATFORM_CHANNEL_UNAVAILABLE' }));
    expect(x.logLines.some((l) => l.includes('no such channel'))).toBe(true);
    const first = x.sim.connectionsAccepted;
    await untilClock(x.clock, () => x.sim.connectionsAccepted >= first + 2, 'retries', 8000, 500);
    expect(status(x).state).toBe('failed');
  });

  it('a suspended channel is said at once', async () => {
    h = await startHarness({ sim: { suspended: ['teacher'] } });
    expect(status(h)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^#teacher: this channel is suspended/) });
  });
});

describe("the streamer's own account as the bot", () => {
  it("the streamer's commands typed in the browser work, and the bot never answers itself", async () => {
    h = await startHarness({ username: 'teacher' });
    const x = h;
    const streamer = { login: 'teacher', displayName: 'Teacher', id: '1000', badges: { broadcaster: '1' } };
    x.sim.chat('teacher', viewer('alice'), '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => sentTexts(x).length === 1, 'ack');
    x.sim.chat('teacher', streamer, '!topic set Attention');
    x.sim.chat('teacher', streamer, '!answered 1');
    await untilClock(x.clock, () => x.app.questions.get(1)?.state === 'answered' && x.app.topics.current()?.title === 'Attention', 'the streamer was obeyed');
    x.sim.chat('teacher', streamer, '!q what should we cover next week?');
    await untilClock(x.clock, () => x.app.questions.get(2) !== undefined, 'the streamer asked');
    await advance(x.clock, 5000);
    // Twitch does not echo a connection's own messages: every reply went out once, none answered.
    expect(x.app.bot.stats.processed).toBe(4);
  });
});

describe('moderation', () => {
  it('a deleted message removes its question everywhere; a merged asker is taken off alone', async () => {
    h = await startHarness();
    const x = h;
    const id1 = x.sim.chat('teacher', viewer('alice'), '!q why is softmax needed in attention?');
    const id2 = x.sim.chat('teacher', viewer('bob'), '!q why do we need softmax in attention');
    x.sim.chat('teacher', viewer('carol'), '!q what learning rate do you use?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2 && x.app.questions.get(1)?.askerCount === 2, 'two questions');
    x.sim.deleteMessage('teacher', id2, 'bob');
    await untilClock(x.clock, () => x.app.questions.get(1)?.askerCount === 1, 'bob taken off');
    expect(x.app.questions.get(1)?.state).toBe('open');
    x.sim.deleteMessage('teacher', id1, 'alice');
    await untilClock(x.clock, () => x.app.questions.get(1)?.state === 'removed', 'removed');
    x.sim.chat('teacher', viewer('dave'), '!up 1');
    await untilClock(x.clock, () => sentTexts(x).some((t) => t.includes('#1 is closed')), 'vote refused');
    await advance(x.clock, 16_000);
    x.sim.chat('teacher', viewer('erin'), '!questions');
    await untilClock(x.clock, () => sentTexts(x).some((t) => t.includes('Top questions')), 'top questions');
    expect(sentTexts(x).find((t) => t.includes('Top questions'))).not.toMatch(/#1\b/);
    const data = collectExport(x.app.storeForReading(), x.app.currentStream!.id, {}, x.clock.now());
    expect(render('md', data).text).not.toContain('softmax');
    expect(render('csv', data).text).not.toContain('softmax');
    expect(JSON.parse(render('json', data).text).questions[0]).toMatchObject({ id: 1, state: 'removed' });
  });

  it("deleted and banned viewers' lines leave the dashboard's chat (its state and its live feed)", async () => {
    const token = 'moderation-dashboard-token-0123456789';
    h = await startHarness({ dashboardToken: token, extraYaml: 'dashboard: { port: 0 }\n' });
    const x = h;
    const events: Array<{ type: string; data: unknown }> = [];
    x.app.dashboard!.broadcast = ((orig) => (type: string, data: unknown) => {
      events.push({ type, data });
      orig.call(x.app.dashboard, type, data);
    })(x.app.dashboard!.broadcast);
    const gone = x.sim.chat('teacher', viewer('alice'), 'something rude');
    x.sim.chat('teacher', { login: 'troll', displayName: 'troll', id: '666' }, 'spam one');
    x.sim.chat('teacher', { login: 'troll', displayName: 'troll', id: '666' }, 'spam two');
    x.sim.chat('teacher', viewer('bob'), 'a fine message');
    const chat = async () =>
      (
        (await (await fetch(`${x.app.dashboard!.url}/api/state`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          chat: Array<{ text: string }>;
        }
      ).chat.map((c) => c.text);
    await untilClock(x.clock, () => x.app.bot.stats.processed === 4, 'four lines');
    x.sim.deleteMessage('teacher', gone, 'alice');
    x.sim.ban('teacher', { login: 'troll', displayName: 'troll', id: '666' });
    await untilClock(x.clock, () => events.filter((e) => e.type === 'chat-removed').length === 2, 'two removals');
    expect(await chat()).toEqual(['a fine message']);
    expect(events.filter((e) => e.type === 'chat-removed').map((e) => (e.data as { ids: string[] }).ids.length)).toEqual([1, 2]);
  });

  it("a ban or a timeout removes the viewer's questions and votes of this stream; a full clear removes nothing", async () => {
    h = await startHarness();
    const x = h;
    const troll = { login: 'chaos', displayName: 'chaos', id: '666' };
    x.sim.chat('teacher', troll, '!q is this stream even about anything real?');
    x.sim.chat('teacher', viewer('alice'), '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    x.sim.chat('teacher', troll, '!up 2');
    await untilClock(x.clock, () => x.app.questions.get(2)?.votes === 1, 'vote');
    x.sim.clearChat('teacher');
    await advance(x.clock, 500);
    expect(x.app.questions.get(1)?.state).toBe('open');
    x.sim.ban('teacher', troll, 600);
    await untilClock(x.clock, () => x.app.questions.get(1)?.state === 'removed' && x.app.questions.get(2)?.votes === 0, 'removed and unvoted');
    expect(x.app.questions.get(2)?.state).toBe('open');
  });
});

describe('Twitch refusing the bot', () => {
  it('a lasting refusal stops sending, says what to do, counts replies as refused, and retries after 10 minutes', async () => {
    h = await startHarness();
    const x = h;
    x.sim.refuseBot('msg_requires_verified_phone_number');
    x.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(x.clock, () => status(x).canSend === false, 'refused');
    expect(status(x).sendBlocked).toMatch(/verify the bot account's phone number.*or make it a moderator/);
    expect(x.app.health.list()).toContainEqual(expect.objectContaining({ component: 'twitch.send', code: 'PLATFORM_SEND_REFUSED' }));
    const outbox = x.app.outboxes.get('twitch')!;
    expect(outbox.stats).toMatchObject({ repliesDelivered: 0, refused: 1 });
    // While refused, replies are refused at once: nothing more reaches Twitch.
    await advance(x.clock, 2000);
    x.sim.chat('teacher', viewer('bob'), '!help');
    await untilClock(x.clock, () => outbox.stats.refused === 2, 'second refused');
    expect(x.sim.refused).toHaveLength(1);
    // Reading goes on.
    expect(status(x).state).toBe('connected');
    x.sim.refuseBot(undefined);
    await advance(x.clock, 10 * 60_000, 5_000);
    x.sim.chat('teacher', viewer('carol'), '!help');
    await untilClock(x.clock, () => sentTexts(x).some((t) => t.startsWith('@carol ')), 'answers again');
    expect(status(x).canSend).toBe(true);
  });

  it('a timeout of the bot pauses it for the duration', async () => {
    h = await startHarness();
    const x = h;
    x.sim.ban('teacher', { login: 'lecternbot', displayName: 'lecternbot', id: 'b-lecternbot' }, 60);
    await untilClock(x.clock, () => status(x).canSend === false, 'timed out');
    expect(status(x).sendBlocked).toMatch(/timed out.*60 s/);
    await advance(x.clock, 61_000, 1000);
    expect(status(x).canSend).toBe(true);
    x.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(x.clock, () => sentTexts(x).some((t) => t.startsWith('@alice ')), 'answers after the timeout');
  });

  it('room modes are shown and respected: subscribers-only keeps a plain bot quiet, slow mode spaces its messages', async () => {
    h = await startHarness();
    const x = h;
    x.sim.setRoomModes('teacher', { subsOnly: true });
    await untilClock(x.clock, () => status(x).canSend === false, 'subs-only');
    expect(status(x)).toMatchObject({ modes: ['subscribers-only'], sendBlocked: expect.stringMatching(/subscribers-only.*moderator or VIP/) });
    x.sim.chat('teacher', viewer('alice'), '!help');
    await advance(x.clock, 2000);
    expect(x.sim.refused).toHaveLength(0);
    x.sim.setRoomModes('teacher', { subsOnly: false, slow: 10 });
    await untilClock(x.clock, () => status(x).canSend === true, 'open again');
    for (const u of ['bob', 'carol', 'dave']) x.sim.chat('teacher', viewer(u), `!q a question from ${u} about slow mode?`);
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0 && sentTexts(x).length >= 1, 'acks', 8000, 1000);
    await advance(x.clock, 30_000, 1000);
    const times = x.sim.sent.map((m) => m.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(10_000);
    expect(x.sim.refused).toEqual([]);
    expect(status(x).modes).toEqual(['slow mode 10 s']);
  });

  it('a followers-only refusal is reported and lifted when the mode ends', async () => {
    h = await startHarness();
    const x = h;
    x.sim.setRoomModes('teacher', { followersOnly: 0 });
    x.sim.chat('teacher', viewer('alice'), '!help');
    await untilClock(x.clock, () => status(x).canSend === false, 'refused');
    expect(status(x).sendBlocked).toMatch(/followers-only/);
    x.sim.setRoomModes('teacher', { followersOnly: -1 });
    await untilClock(x.clock, () => status(x).canSend === true, 'lifted');
  });
});

describe('paid questions and Shared Chat', () => {
  it('a cheer that asks is a question, ranked above the same question unpaid; a command after a cheer runs', async () => {
    h = await startHarness({ extraYaml: 'questions: { detect: true }\n' });
    const x = h;
    x.sim.chat('teacher', viewer('alice'), 'why do transformers need positional encodings at all?');
    x.sim.cheer('teacher', viewer('bob'), 500, 'how do you choose the learning rate warmup length?');
    x.sim.chat('teacher', viewer('carol'), 'how do you choose the warmup length for the learning rate?');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    const [top] = x.app.questions.top(1);
    expect(top).toMatchObject({ askerCount: 2, paid: { platform: 'twitch', amount: 500, currency: 'bits', display: '500 bits', tier: 3 } });
    x.sim.cheer('teacher', viewer('dave'), 100, '!q what is a monad?');
    await untilClock(x.clock, () => sentTexts(x).some((t) => t.startsWith('@dave noted as #3')), 'ack of the paid !q');
    expect(x.app.questions.get(3)?.text).toBe('what is a monad?');
  });

  it("Shared Chat messages from a partner's channel are shown, never answered or logged", async () => {
    h = await startHarness();
    const x = h;
    const seen: string[] = [];
    x.app.bus.on('chat', (e) => seen.push(e.text));
    x.sim.sharedChat('teacher', viewer('guest'), '!help', '655533779');
    x.sim.sharedChat('teacher', viewer('guest2'), 'why is softmax needed in attention at all?', '655533779');
    await untilClock(x.clock, () => seen.length === 2, 'shown');
    await advance(x.clock, 3000);
    expect(x.sim.sent).toEqual([]);
    expect(x.app.questions.all()).toEqual([]);
  });
});
