import type { SimUser } from './twitch-sim.js';

/** Chat modes of the simulated room (ROOMSTATE), enforced on what the bot sends. */
export interface SimRoomModes {
  slow?: number;
  subsOnly?: boolean;
  emoteOnly?: boolean;
  /** Minutes of following required; -1 off. The bot never follows. */
  followersOnly?: number;
  r9k?: boolean;
}

/** A refusal Twitch applies to the bot's account in every channel until lifted. */
export type SimBotRefusal = 'msg_banned' | 'msg_requires_verified_phone_number' | 'msg_verified_email' | 'msg_channel_blocked' | 'tos_ban';

const REFUSAL_TEXT: Record<
  SimBotRefusal | 'msg_subsonly' | 'msg_emoteonly' | 'msg_followersonly_zero' | 'msg_slowmode' | 'msg_timedout',
  (ch: string, n?: number) => string
> = {
  msg_banned: (ch) => `You are permanently banned from talking in ${ch}.`,
  msg_requires_verified_phone_number: () =>
    'A verified phone number is required to chat in this channel. Please visit https://www.twitch.tv/settings/security to verify your phone number.',
  msg_verified_email: () => 'This room requires a verified account to chat. Please verify your account at https://www.twitch.tv/settings/security.',
  msg_channel_blocked: () => 'Your message was not sent because your account is not in good standing in this channel.',
  tos_ban: (ch) => `The community has closed channel ${ch} due to Terms of Service violations.`,
  msg_subsonly: (ch) =>
    `This room is in subscribers only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/${ch}/ticket?ref=subscriber_only_mode_chat.`,
  msg_emoteonly: () => 'This room is in emote-only mode. You can find your currently available emoticons using the smiley in the chat text area.',
  msg_followersonly_zero: (ch) => `This room is in followers-only mode. Follow ${ch} to join the community!`,
  msg_slowmode: (_ch, n) => `This room is in slow mode and you are sending messages too quickly. You will be able to talk again in ${n ?? 1} seconds.`,
  msg_timedout: (_ch, n) => `You are timed out for ${n ?? 1} more seconds.`,
};

/** Twitch's send limits per 30 s: 20 messages (100 for moderators, VIPs and the broadcaster), one a second. */
export const LIMITS = { windowMs: 30_000, regular: 20, elevated: 100, minGapMs: 1_000 };

/** A tag value escaped as IRCv3 message tags require. */
export function escapeTag(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\:').replace(/ /g, '\\s').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** The IRC line for a viewer's message, with Twitch's tags (`tags` adds to or overrides them). */
export function privmsgLine(channel: string, user: SimUser, text: string, tags: Record<string, string>): string {
  const badges = Object.entries(user.badges ?? {})
    .map(([k, v]) => `${k}/${v}`)
    .join(',');
  const all: Record<string, string> = {
    'badge-info': '',
    badges,
    color: '#1E90FF',
    'display-name': user.displayName ?? user.login,
    emotes: '',
    'first-msg': '0',
    flags: '',
    mod: user.badges?.['moderator'] ? '1' : '0',
    subscriber: user.badges?.['subscriber'] ? '1' : '0',
    turbo: '0',
    'user-id': user.id ?? `u-${user.login}`,
    'user-type': user.badges?.['moderator'] ? 'mod' : '',
    ...tags,
  };
  const tagText = Object.entries(all)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${escapeTag(v)}`)
    .join(';');
  return `@${tagText} :${user.login}!${user.login}@${user.login}.tmi.twitch.tv PRIVMSG #${channel} :${text}`;
}

export interface RefusalContext {
  readonly channel: string;
  readonly now: number;
  readonly role: 'none' | 'moderator' | 'vip' | 'broadcaster';
  /** A refusal of the bot's account everywhere (banned, unverified...). */
  readonly bot: SimBotRefusal | undefined;
  readonly timedOutUntil: number | undefined;
  readonly modes: SimRoomModes;
  /** When the bot's recent messages went out. */
  readonly times: readonly number[];
}

/** Why Twitch would refuse a message of the bot's, as the NOTICE's msg-id and text. */
export function refusal(c: RefusalContext): { code: string; text: string } | undefined {
  const { channel, now, role, modes: r, times } = c;
  const say = (code: keyof typeof REFUSAL_TEXT, n?: number) => ({ code, text: REFUSAL_TEXT[code](channel, n) });
  if (c.bot) return say(c.bot);
  if (c.timedOutUntil !== undefined && c.timedOutUntil > now) return say('msg_timedout', Math.ceil((c.timedOutUntil - now) / 1000));
  if (role === 'moderator' || role === 'broadcaster') return undefined;
  if (r.emoteOnly) return say('msg_emoteonly');
  if (r.subsOnly && role !== 'vip') return say('msg_subsonly');
  if (r.followersOnly !== undefined && r.followersOnly >= 0 && role !== 'vip') return say('msg_followersonly_zero');
  const last = times[times.length - 1];
  if (r.slow && role !== 'vip' && last !== undefined && now - last < r.slow * 1000) return say('msg_slowmode', Math.ceil((last + r.slow * 1000 - now) / 1000));
  return undefined;
}
