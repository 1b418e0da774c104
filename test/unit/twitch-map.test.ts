import { describe, expect, it } from 'vitest';
import { mapIrcMessage, twitchRoles } from '../../src/platforms/twitch/index.js';

const ctx = { now: 1_000, nextLocalId: () => 'local-1' };
const msg = (command: string, params: string[], tags: Record<string, unknown> = {}, prefix: string | null = 'alice!alice@alice.tmi.twitch.tv') => ({
  command,
  params,
  tags,
  prefix,
});

describe('Twitch mapper', () => {
  it('maps a PRIVMSG with roles, ids and server time', () => {
    const e = mapIrcMessage(
      msg('PRIVMSG', ['#teacher', 'hello'], {
        id: 'm1',
        'user-id': '42',
        'display-name': 'Alice',
        'tmi-sent-ts': '1700000000000',
        badges: { moderator: '1', subscriber: '12' },
        mod: true,
      }),
      ctx,
    );
    expect(e).toEqual({
      platform: 'twitch',
      channel: 'teacher',
      id: 'm1',
      kind: 'message',
      text: 'hello',
      time: 1_700_000_000_000,
      author: { id: '42', login: 'alice', displayName: 'Alice', roles: ['moderator', 'subscriber'] },
    });
  });

  it('recognises actions, cheers, replies and Shared Chat copies', () => {
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', '\u0001ACTION waves\u0001'], { id: 'a' }), ctx)).toMatchObject({ action: true, text: 'waves' });
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', 'Cheer100 nice'], { id: 'c', bits: '100' }), ctx)).toMatchObject({
      kind: 'paid-message',
      text: 'nice',
      paid: { amount: 100, currency: 'bits', display: '100 bits', tier: 2 },
    });
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', '@bob yes'], { id: 'r', 'reply-parent-msg-id': 'p1' }), ctx)).toMatchObject({ replyTo: 'p1' });
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', 'hi'], { id: 's', 'source-id': 'orig' }), ctx)).toMatchObject({ sourceId: 'orig' });
  });

  it('maps subs, gifts and raids from USERNOTICE', () => {
    expect(mapIrcMessage(msg('USERNOTICE', ['#t', 'great stream'], { id: 'u1', 'msg-id': 'resub', login: 'bob' }, 'tmi.twitch.tv'), ctx)).toMatchObject({
      kind: 'membership',
      subtype: 'resub',
      text: 'great stream',
      author: { login: 'bob' },
    });
    expect(
      mapIrcMessage(msg('USERNOTICE', ['#t'], { id: 'u2', 'msg-id': 'subgift', login: 'bob', 'system-msg': 'bob gifted a sub' }, 'tmi.twitch.tv'), ctx),
    ).toMatchObject({ kind: 'membership', subtype: 'subgift', text: 'bob gifted a sub' });
    expect(
      mapIrcMessage(msg('USERNOTICE', ['#t'], { id: 'u3', 'msg-id': 'raid', login: 'carol', 'system-msg': '10 raiders' }, 'tmi.twitch.tv'), ctx),
    ).toMatchObject({ kind: 'system', subtype: 'raid' });
  });

  it('maps CLEARMSG to a deletion and CLEARCHAT to a ban, timeout or clear', () => {
    expect(mapIrcMessage(msg('CLEARMSG', ['#t', 'bad words'], { login: 'bob', 'target-msg-id': 'x1' }, 'tmi.twitch.tv'), ctx)).toMatchObject({
      kind: 'deletion',
      text: '',
      target: { messageId: 'x1', login: 'bob' },
    });
    expect(mapIrcMessage(msg('CLEARCHAT', ['#t', 'bob'], { 'target-user-id': '9', 'ban-duration': '600' }, 'tmi.twitch.tv'), ctx)).toMatchObject({
      kind: 'ban',
      subtype: 'timeout',
      target: { login: 'bob', userId: '9', durationSeconds: 600 },
    });
    expect(mapIrcMessage(msg('CLEARCHAT', ['#t', 'bob'], { 'target-user-id': '9' }, 'tmi.twitch.tv'), ctx)).toMatchObject({ kind: 'ban', subtype: 'ban' });
    expect(mapIrcMessage(msg('CLEARCHAT', ['#t'], {}, 'tmi.twitch.tv'), ctx)).toMatchObject({ kind: 'system', subtype: 'clearchat' });
  });

  it('ignores non-chat and malformed shapes instead of throwing', () => {
    expect(mapIrcMessage(msg('PING', []), ctx)).toBeNull();
    expect(mapIrcMessage(msg('ROOMSTATE', ['#t']), ctx)).toBeNull();
    expect(mapIrcMessage(msg('PRIVMSG', []), ctx)).toBeNull();
    expect(mapIrcMessage(msg('PRIVMSG', ['nochannel', 'x']), ctx)).toBeNull();
    expect(mapIrcMessage({ command: 'PRIVMSG', params: undefined as never, tags: undefined as never, prefix: null }, ctx)).toBeNull();
  });

  it('cleans hostile text: controls, zero-width, bidi overrides, huge length', () => {
    const e = mapIrcMessage(msg('PRIVMSG', ['#t', `a\u0007b\u200Bc\u202Ed ${'x'.repeat(10_000)}`], { id: 'h' }), ctx)!;
    expect(e.text.startsWith('abcd ')).toBe(true);
    expect(e.text.length).toBe(2000);
    expect(e.truncated).toBe(true);
    const emoji = mapIrcMessage(msg('PRIVMSG', ['#t', 'family 👨‍👩‍👧 ok'], { id: 'e' }), ctx)!;
    expect(emoji.text).toBe('family 👨‍👩‍👧 ok');
  });

  it('treats the broadcaster by badge or by user id equal to room id', () => {
    expect(twitchRoles({ badges: { broadcaster: '1' } })).toEqual(['broadcaster']);
    expect(twitchRoles({ 'user-id': '5', 'room-id': '5' })).toEqual(['broadcaster']);
    expect(twitchRoles({ badges: { vip: '1' } })).toEqual(['vip']);
    expect(twitchRoles({ vip: true, badges: { founder: '0' } })).toEqual(['vip', 'subscriber']);
  });
});
