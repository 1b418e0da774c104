import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixSim } from '../../src/sim/index.js';
import { advance, startYouTubeHarness, TOKEN, untilClock, viewer, type YouTubeHarness } from '../helpers.js';

let h: YouTubeHarness | undefined;
let helix: HelixSim | undefined;
afterEach(async () => {
  await h?.close();
  await helix?.stop();
  h = undefined;
  helix = undefined;
});

const CHAT = 'chat-live-01';
const MOD_SCOPES = ['chat:read', 'chat:edit', 'moderator:manage:chat_messages'];
const NOTES = fileURLToPath(new URL('../fixtures/notes', import.meta.url));
const CONFIG = `knowledge:
  notes:
    - dir: ${JSON.stringify(NOTES)}
      baseUrl: https://notes.example/
moderation:
  links: true
  allowDomains: [docs.python.org]
`;

/** Both platforms with link protection: Twitch through the Helix simulator, YouTube through its own. */
async function both(o: { twitchRole?: 'none' | 'moderator'; scopes?: string[]; ytModerates?: boolean } = {}): Promise<YouTubeHarness> {
  helix = new HelixSim({ tokens: { [TOKEN]: o.scopes ?? MOD_SCOPES }, clientId: 'sim-client', users: { teacher: '1000', lecternbot: '2000' } });
  await helix.start();
  const x = await startYouTubeHarness({
    oauth: true,
    withTwitch: true,
    twitchSim: { botRole: o.twitchRole ?? 'moderator' },
    twitchExtra: `  clientId: sim-client\n  helixUrl: ${helix.url}\n`,
    extraYaml: CONFIG,
  });
  x.yt.botModerates = o.ytModerates ?? true;
  // Twitch tells every client of a deletion (CLEARMSG), as it does after a Helix delete.
  helix.onDelete = (id) => x.twitch!.deleteMessage('teacher', id, 'someone');
  await untilClock(x.clock, () => x.app.statuses().every((s) => s.state === 'connected'), 'both connected', 5000, 500);
  return x;
}

const ytViewer = (name: string) => ({ channelId: `UC-${name}`, displayName: `@${name}` });

describe('link protection on both platforms (real clients against the simulators)', () => {
  it('deletes a viewer’s link on Twitch and YouTube, tells them once, and lets one through after !permit', async () => {
    h = await both();
    const x = h;
    const tw = x.twitch!;
    const removed: string[] = [];
    x.app.bus.on('chat', (e) => e.kind === 'deletion' && e.target?.messageId && removed.push(e.target.messageId));

    const spam = tw.chat('teacher', viewer('spammy'), '!q cheap followers at evil.example/buy');
    await untilClock(x.clock, () => helix!.deleted.length === 1, 'the Helix delete', 5000, 200);
    expect(helix!.deleted[0]).toEqual({ messageId: spam, moderatorId: '2000' });
    await untilClock(x.clock, () => removed.includes(spam), 'the CLEARMSG back');
    await untilClock(x.clock, () => tw.sent.length === 1, 'the notice');
    expect(tw.sent[0]).toMatchObject({ text: '@spammy links are not allowed in chat; a moderator can allow one with !permit.' });
    expect(tw.sent[0]!.replyTo).toBeUndefined();
    // The deleted line was not answered: no question was logged from it.
    expect(x.app.questions.all()).toEqual([]);
    // A second link at once: deleted, no second notice.
    tw.chat('teacher', viewer('spammy'), 'https://evil.example/again');
    await untilClock(x.clock, () => helix!.deleted.length === 2, 'second delete', 5000, 200);
    await advance(x.clock, 3000);
    expect(tw.sent).toHaveLength(1);

    // Allowed: the notes' own domain, the allow-list, a subscriber, a moderator, no link at all.
    tw.chat('teacher', viewer('alice'), 'see https://notes.example/attention.md#why and docs.python.org/3/');
    tw.chat('teacher', viewer('sub', { subscriber: '3' }), 'my blog: https://sub.example');
    tw.chat('teacher', viewer('modmarta', { moderator: '1' }), 'https://anything.example');
    tw.chat('teacher', viewer('bob'), 'node.js and e.g. version 1.2.3 are not links; nor is me@mail.com');
    await advance(x.clock, 3000);
    expect(helix!.deleted).toHaveLength(2);

    // !permit: one link within 60 s.
    tw.chat('teacher', viewer('modmarta', { moderator: '1' }), '!permit @Alice');
    await untilClock(x.clock, () => tw.sent.some((m) => m.text.includes('may post one link in the next 60 s')), 'the permit answer');
    tw.chat('teacher', viewer('alice'), 'my project: https://alice.example/project');
    await advance(x.clock, 2000);
    expect(helix!.deleted).toHaveLength(2);
    tw.chat('teacher', viewer('alice'), 'and https://alice.example/another');
    await untilClock(x.clock, () => helix!.deleted.length === 3, 'the second link of alice', 5000, 200);

    // YouTube: liveChatMessages.delete, counted in the quota; the notice goes out as a reply.
    const m = x.yt.post(CHAT, ytViewer('ytspam'), 'free stuff at www.evil.example');
    await untilClock(x.clock, () => x.yt.deletedByBot.length === 1, 'the YouTube delete', 8000, 500);
    expect(x.yt.deletedByBot[0]).toBe(m['id']);
    expect(x.yt.calls.filter((c) => c.method === 'delete')).toEqual([expect.objectContaining({ status: 204, units: 20 })]);
    await untilClock(x.clock, () => x.yt.inserted.some((i) => i.text.startsWith('@ytspam links are not allowed')), 'the YouTube notice', 8000, 500);
    // A permit given on Twitch names a viewer on either platform.
    tw.chat('teacher', viewer('modmarta', { moderator: '1' }), '!permit ytfriend');
    await advance(x.clock, 1500);
    x.yt.post(CHAT, ytViewer('ytfriend'), 'https://friend.example');
    await untilClock(x.clock, () => x.app.links.actions().length === 6, 'the permitted YouTube link', 8000, 500);
    expect(x.yt.deletedByBot).toHaveLength(1);

    const actions = x.app.links.actions();
    expect(actions.map((a) => `${a.platform} ${a.outcome} ${a.host}`)).toEqual([
      'twitch deleted evil.example',
      'twitch deleted evil.example',
      'twitch permitted alice.example',
      'twitch deleted alice.example',
      'youtube deleted www.evil.example',
      'youtube permitted friend.example',
    ]);
  });

  it('without the rights nothing is deleted, and the reason is on the dashboard’s list and in the health', async () => {
    h = await both({ twitchRole: 'none', ytModerates: false });
    const x = h;
    x.twitch!.chat('teacher', viewer('spammy'), 'https://evil.example');
    x.yt.post(CHAT, ytViewer('ytspam'), 'https://evil.example');
    await untilClock(x.clock, () => x.app.links.actions().length === 2, 'two actions', 8000, 500);
    x.yt.post(CHAT, ytViewer('ytspam'), 'https://evil.example/2');
    await untilClock(x.clock, () => x.app.links.actions().length === 3, 'three actions', 8000, 500);
    expect(helix!.deleted).toEqual([]);
    expect(helix!.calls.some((c) => c.startsWith('DELETE'))).toBe(false);
    // YouTube said forbidden once; the bot does not ask again.
    expect(x.yt.calls.filter((c) => c.method === 'delete')).toHaveLength(1);
    expect(x.app.links.actions().map((a) => [a.outcome, a.detail])).toEqual([
      ['not-deleted', expect.stringContaining('the bot is not a moderator of #teacher; type /mod lecternbot')],
      ['not-deleted', expect.stringContaining("the bot's channel is not a moderator of this chat")],
      ['not-deleted', expect.stringContaining("the bot's channel is not a moderator of this chat")],
    ]);
    expect(x.app.health.list().map((p) => `${p.component} ${p.code}`)).toEqual(
      expect.arrayContaining(['twitch.links MODERATION_FAILED', 'youtube.links MODERATION_FAILED']),
    );
    // No notice for what was not deleted.
    await advance(x.clock, 3000);
    expect(x.twitch!.sent).toEqual([]);
    expect(x.yt.inserted).toEqual([]);
  });

  it('a token without moderator:manage:chat_messages: Twitch refuses once, and nothing more is tried', async () => {
    h = await both({ scopes: ['chat:read', 'chat:edit'] });
    const x = h;
    x.twitch!.chat('teacher', viewer('spammy'), 'https://evil.example');
    await untilClock(x.clock, () => x.app.links.actions().length === 1, 'one action', 5000, 200);
    x.twitch!.chat('teacher', viewer('spammy'), 'https://evil.example/2');
    await untilClock(x.clock, () => x.app.links.actions().length === 2, 'two actions', 5000, 200);
    expect(helix!.calls.filter((c) => c.startsWith('DELETE'))).toHaveLength(1);
    expect(x.app.links.actions()[1]!.detail).toContain('lacks moderator:manage:chat_messages');
  });
});
