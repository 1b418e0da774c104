import { bitsTier, cleanChatText, type ChatEvent, type Role } from '../../core/index.js';
import { stripCheermotes } from './cheermotes.js';
import type { TmiIrcMessage } from './irc.external.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function badges(tags: Record<string, unknown>): Record<string, unknown> {
  const b = tags['badges'];
  return b && typeof b === 'object' ? (b as Record<string, unknown>) : {};
}

/** Roles from badges and tags. The broadcaster is also recognised by user id = room id. */
export function twitchRoles(tags: Record<string, unknown>): Role[] {
  const b = badges(tags);
  const roles: Role[] = [];
  const userId = str(tags['user-id']);
  if ('broadcaster' in b || (userId !== undefined && userId === str(tags['room-id']))) roles.push('broadcaster');
  if ('moderator' in b || tags['mod'] === true || tags['user-type'] === 'mod') roles.push('moderator');
  if ('vip' in b || tags['vip'] === true) roles.push('vip');
  if ('subscriber' in b || 'founder' in b || tags['subscriber'] === true) roles.push('subscriber');
  return roles;
}

function nickFromPrefix(prefix: string | null): string | undefined {
  if (!prefix) return undefined;
  const nick = prefix.split('!')[0];
  return nick && /^[a-z0-9_]{1,25}$/i.test(nick) ? nick.toLowerCase() : undefined;
}

/** Display names are usually the login with capitals; anything else is cleaned like chat. */
function displayName(raw: string | undefined, login: string): string {
  if (raw === undefined) return login;
  if (/^\w{1,25}$/.test(raw)) return raw;
  return cleanChatText(raw, 64).text || login;
}

/** `/me` text: CTCP ACTION, possibly empty, possibly without the closing \u0001. */
const ACTION = /^\u0001ACTION(?: (.*?))?\u0001?$/s;

function actionText(trailing: string): string | undefined {
  if (trailing.charCodeAt(0) !== 1) return undefined;
  const m = ACTION.exec(trailing);
  return m ? (m[1] ?? '') : undefined;
}

const MEMBERSHIP_NOTICES = new Set([
  'sub',
  'resub',
  'subgift',
  'anonsubgift',
  'submysterygift',
  'anonsubmysterygift',
  'giftpaidupgrade',
  'anongiftpaidupgrade',
  'primepaidupgrade',
  'standardpayforward',
  'communitypayforward',
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface MapContext {
  /** Receive time, used when the server sent no `tmi-sent-ts`. */
  readonly now: number;
  /** Fallback id source for lines that carry none. */
  readonly nextLocalId: () => string;
}

/**
 * Maps one normalised IRC message to a ChatEvent, or null when it is not chat (PING, JOIN,
 * ROOMSTATE, a malformed line). Pure: no client, no clock, no I/O.
 */
export function mapIrcMessage(msg: TmiIrcMessage, ctx: MapContext): ChatEvent | null {
  const tags = msg.tags ?? {};
  const params = Array.isArray(msg.params) ? msg.params : [];
  const channelParam = str(params[0]);
  if (!channelParam || !channelParam.startsWith('#')) return null;
  const channel = channelParam.slice(1).toLowerCase();
  const trailing = typeof params[1] === 'string' ? params[1] : '';
  const time = num(tags['tmi-sent-ts']) ?? ctx.now;
  const id = str(tags['id']) ?? ctx.nextLocalId();
  const login = str(tags['login'])?.toLowerCase() ?? nickFromPrefix(msg.prefix) ?? '';
  const author = {
    id: str(tags['user-id']) ?? login,
    login,
    displayName: displayName(str(tags['display-name']), login),
    roles: twitchRoles(tags),
  };
  const base = { platform: 'twitch' as const, channel, id, time, author };

  switch (msg.command) {
    case 'PRIVMSG': {
      if (!login) return null;
      // The legacy hosting notices came from the `jtv` account: Twitch's words, not a viewer's.
      if (login === 'jtv') return { ...base, kind: 'system', subtype: 'host', text: cleanChatText(trailing).text };
      const action = actionText(trailing);
      const bits = num(tags['bits']);
      // The cheermotes (`Cheer100`) are the payment, shown as such; the text is the viewer's words.
      const said = action ?? trailing;
      const { text, truncated } = cleanChatText(bits ? stripCheermotes(said, bits) : said);
      // Built in place rather than by spreading: this runs for every chat line.
      const event: Mutable<ChatEvent> = { platform: 'twitch', channel, id, time, author, kind: bits ? 'paid-message' : 'message', text };
      if (truncated) event.truncated = true;
      if (action !== undefined) event.action = true;
      if (bits) {
        event.paid = { amount: bits, currency: 'bits', display: `${bits} bit${bits === 1 ? '' : 's'}`, tier: bitsTier(bits) };
        event.subtype = 'cheer';
      }
      const sourceId = str(tags['source-id']);
      if (sourceId) event.sourceId = sourceId;
      // Shared Chat: a copy of a message written in a partner's channel.
      const sourceRoom = str(tags['source-room-id']);
      if (sourceRoom && sourceRoom !== str(tags['room-id'])) event.sharedFrom = sourceRoom;
      const replyTo = str(tags['reply-parent-msg-id']);
      if (replyTo) event.replyTo = replyTo;
      return event;
    }
    case 'USERNOTICE': {
      const subtype = str(tags['msg-id']) ?? 'usernotice';
      const { text, truncated } = cleanChatText(actionText(trailing) ?? (trailing || str(tags['system-msg']) || ''));
      const kind = MEMBERSHIP_NOTICES.has(subtype) ? 'membership' : 'system';
      return { ...base, kind, subtype, text, ...(truncated ? { truncated } : {}) };
    }
    case 'CLEARMSG': {
      const target = str(tags['target-msg-id']);
      return {
        ...base,
        kind: 'deletion',
        subtype: 'clearmsg',
        text: '',
        target: { ...(target ? { messageId: target } : {}), ...(login ? { login } : {}) },
      };
    }
    case 'CLEARCHAT': {
      const targetLogin = trailing ? trailing.trim().toLowerCase() : undefined;
      const duration = num(tags['ban-duration']);
      const targetUserId = str(tags['target-user-id']);
      return {
        ...base,
        author: { id: str(tags['room-id']) ?? channel, login: channel, displayName: channel, roles: ['broadcaster'] },
        kind: targetLogin ? 'ban' : 'system',
        subtype: targetLogin ? (duration ? 'timeout' : 'ban') : 'clearchat',
        text: '',
        ...(targetLogin
          ? { target: { login: targetLogin, ...(targetUserId ? { userId: targetUserId } : {}), ...(duration ? { durationSeconds: duration } : {}) } }
          : {}),
      };
    }
    default:
      return null;
  }
}

/** Login failures arrive as a NOTICE to `*`; tmi.js stops reconnecting after one. */
export function isLoginFailure(msg: TmiIrcMessage): boolean {
  if (msg.command !== 'NOTICE' || msg.prefix !== 'tmi.twitch.tv') return false;
  const text = typeof msg.params?.[1] === 'string' ? msg.params[1] : '';
  return /Login (authentication failed|unsuccessful)|Improperly formatted auth|Error logging in|Invalid NICK/i.test(text);
}

/** The bot's own roles from its USERSTATE tags. */
export function botRolesFromUserstate(tags: Record<string, unknown> | undefined): Role[] {
  return tags ? twitchRoles(tags) : [];
}
