import { describe, expect, it } from 'vitest';
import { mapIrcMessage } from '../../src/platforms/twitch/index.js';
import { stripCheermotes } from '../../src/platforms/twitch/cheermotes.js';
import { BLOCK_RETRY_MS, classifyNotice } from '../../src/platforms/twitch/notices.js';
import { applyRoomState, describeModes, OPEN_ROOM, roomBlock, slowMs } from '../../src/platforms/twitch/room.js';

const ctx = { now: 1_000, nextLocalId: () => 'local-1' };
const msg = (command: string, params: string[], tags: Record<string, unknown> = {}, prefix: string | null = 'alice!alice@alice.tmi.twitch.tv') => ({
  command,
  params,
  tags,
  prefix,
});
const notice = (id: string, text = '') => classifyNotice(msg('NOTICE', ['#t', text], { 'msg-id': id }, 'tmi.twitch.tv'));

describe('cheers', () => {
  it('reads the words of a bits message without its cheermotes (real lines)', () => {
    expect(stripCheermotes("showlove5000 Chew your food slower... it's healthier", 5000)).toBe("Chew your food slower... it's healthier");
    expect(stripCheermotes('trihard1', 1)).toBe('');
    expect(stripCheermotes('Cheer1 a Cheer1 Cheer1 Cheer1 Cheer1 b c', 5)).toBe('a b c');
    expect(stripCheermotes('Cheer100 !q what is a monad?', 100)).toBe('!q what is a monad?');
  });

  it('keeps words shaped like cheermotes unless they account for the bits', () => {
    expect(stripCheermotes('Cheer100 why bf16 and not fp16?', 100)).toBe('why bf16 and not fp16?');
    expect(stripCheermotes('bobrossCheer250 why bf16?', 250)).toBe('why bf16?');
    expect(stripCheermotes('why bf16? myCheer50 myCheer50', 100)).toBe('why bf16?');
  });

  it('a command after a cheer is a command; a cheer inside /me is read too', () => {
    const e = mapIrcMessage(msg('PRIVMSG', ['#t', 'Cheer100 !q what is a monad?'], { id: 'c1', bits: '100' }), ctx)!;
    expect(e).toMatchObject({ kind: 'paid-message', text: '!q what is a monad?', paid: { amount: 100, currency: 'bits', tier: 2 } });
    const me = mapIrcMessage(msg('PRIVMSG', ['#t', '\u0001ACTION cheer100 Hello :)\u0001'], { id: 'c2', bits: '100' }), ctx)!;
    expect(me).toMatchObject({ action: true, text: 'Hello :)' });
  });
});

describe('Twitch mapper: lines seen on real servers', () => {
  it('an empty /me is empty, a /me resub keeps no ACTION marker', () => {
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', '\u0001ACTION\u0001'], { id: 'e' }), ctx)).toMatchObject({ action: true, text: '' });
    const resub = mapIrcMessage(
      msg('USERNOTICE', ['#t', '\u0001ACTION Kappa TEST TEST Kappa :)\u0001'], { id: 'r', 'msg-id': 'resub', login: 'randers' }, 'tmi.twitch.tv'),
      ctx,
    )!;
    expect(resub).toMatchObject({ kind: 'membership', text: 'Kappa TEST TEST Kappa :)' });
  });

  it('the legacy jtv hosting notice is the system talking, not chat', () => {
    const e = mapIrcMessage(msg('PRIVMSG', ['#t', 'Username is now hosting you for 11 viewers.'], {}, 'jtv!~jtv@jtv.tmi.twitch.tv'), ctx);
    expect(e).toMatchObject({ kind: 'system', subtype: 'host' });
  });

  it('Shared Chat: a copy from a partner channel says where it came from', () => {
    const tags = { id: 'fa9d', 'room-id': '39656772', 'source-id': '614e', 'source-room-id': '655533779' };
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', 'Video game things'], tags), ctx)).toMatchObject({ sharedFrom: '655533779', sourceId: '614e' });
    const own = { id: 'x', 'room-id': '39656772', 'source-id': 'x', 'source-room-id': '39656772' };
    expect(mapIrcMessage(msg('PRIVMSG', ['#t', 'hi'], own), ctx)!.sharedFrom).toBeUndefined();
  });
});

describe('NOTICEs that refuse the bot', () => {
  it('classifies every refusal of the msg-id reference', () => {
    for (const id of ['msg_ratelimit', 'msg_slowmode', 'msg_duplicate']) expect(notice(id)?.kind, id).toBe('throttle');
    for (const id of ['msg_r9k', 'msg_rejected', 'msg_rejected_mandatory', 'msg_bad_characters']) expect(notice(id)?.kind, id).toBe('message');
    for (const id of ['msg_banned', 'msg_channel_blocked', 'msg_requires_verified_phone_number', 'msg_verified_email', 'msg_suspended', 'tos_ban']) {
      expect(notice(id), id).toMatchObject({ kind: 'blocked', scope: 'lasting' });
    }
    for (const id of ['msg_followersonly', 'msg_followersonly_followed', 'msg_followersonly_zero', 'msg_subsonly', 'msg_emoteonly']) {
      expect(notice(id), id).toMatchObject({ kind: 'blocked', scope: 'room' });
    }
    expect(notice('msg_channel_suspended', 'This channel has been suspended.')?.kind).toBe('channel');
    expect(notice('host_on')).toBeNull();
    expect(classifyNotice(msg('PRIVMSG', ['#t', 'x'], { 'msg-id': 'msg_banned' }))).toBeNull();
  });

  it('says what the streamer must do, and how long a timeout lasts (both wordings)', () => {
    expect(notice('msg_requires_verified_phone_number')).toMatchObject({ fix: expect.stringMatching(/verify the bot account's phone number.*moderator/) });
    expect(notice('msg_timedout', 'You are timed out for 3600 more seconds.')).toMatchObject({ scope: 'timeout', seconds: 3600 });
    expect(notice('msg_timedout', 'You are banned from talking in randers00 for 86387 more seconds.')).toMatchObject({ seconds: 86387 });
    expect(BLOCK_RETRY_MS).toBe(600_000);
  });
});

describe('room modes', () => {
  it('reads a full ROOMSTATE, then single changes (real lines)', () => {
    let m = applyRoomState(OPEN_ROOM, { 'emote-only': '1', 'followers-only': '0', r9k: '1', 'room-id': '40286300', slow: '5', 'subs-only': '1' });
    expect(describeModes(m)).toEqual(['slow mode 5 s', 'followers-only', 'subscribers-only', 'emote-only', 'unique-chat']);
    m = applyRoomState(OPEN_ROOM, { 'emote-only': false, 'followers-only': '-1', r9k: true, slow: '0', 'subs-only': false });
    expect(describeModes(m)).toEqual(['unique-chat']);
    m = applyRoomState(m, { 'followers-only': '10', 'room-id': '408892348' });
    expect(describeModes(m)).toEqual(['followers-only (10 min)', 'unique-chat']);
  });

  it('moderators are exempt; VIPs skip slow mode; subscribers-only keeps a plain bot quiet', () => {
    const subs = applyRoomState(OPEN_ROOM, { 'subs-only': '1', slow: '30' });
    expect(roomBlock(subs, [])).toMatch(/subscribers-only.*moderator or VIP/);
    expect(roomBlock(subs, ['moderator'])).toBeUndefined();
    expect(roomBlock(subs, ['vip'])).toBeUndefined();
    expect(slowMs(subs, [])).toBeGreaterThanOrEqual(30_000);
    expect(slowMs(subs, ['vip'])).toBe(0);
    expect(roomBlock(applyRoomState(OPEN_ROOM, { 'emote-only': '1' }), ['subscriber'])).toMatch(/emote-only/);
  });
});
