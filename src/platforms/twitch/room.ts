import type { Role } from '../../core/index.js';

/** A channel's chat modes, as ROOMSTATE tells them (a full state at join, then single changes). */
export interface RoomModes {
  readonly slowSeconds: number;
  /** Minutes of following required; -1 off, 0 any follower. */
  readonly followersMinutes: number;
  readonly subsOnly: boolean;
  readonly emoteOnly: boolean;
  readonly uniqueChat: boolean;
}

export const OPEN_ROOM: RoomModes = { slowSeconds: 0, followersMinutes: -1, subsOnly: false, emoteOnly: false, uniqueChat: false };

const flag = (v: unknown): boolean | undefined => (v === true || v === '1' ? true : v === false || v === '0' ? false : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
};

/** Applies a ROOMSTATE's tags: only the tags present change (Twitch sends a change alone). */
export function applyRoomState(modes: RoomModes, tags: Record<string, unknown>): RoomModes {
  return {
    slowSeconds: Math.max(0, int(tags['slow']) ?? modes.slowSeconds),
    followersMinutes: int(tags['followers-only']) ?? modes.followersMinutes,
    subsOnly: flag(tags['subs-only']) ?? modes.subsOnly,
    emoteOnly: flag(tags['emote-only']) ?? modes.emoteOnly,
    uniqueChat: flag(tags['r9k']) ?? modes.uniqueChat,
  };
}

/** The modes in words, for the dashboard. */
export function describeModes(m: RoomModes): string[] {
  const out: string[] = [];
  if (m.slowSeconds > 0) out.push(`slow mode ${m.slowSeconds} s`);
  if (m.followersMinutes >= 0) out.push(m.followersMinutes === 0 ? 'followers-only' : `followers-only (${m.followersMinutes} min)`);
  if (m.subsOnly) out.push('subscribers-only');
  if (m.emoteOnly) out.push('emote-only');
  if (m.uniqueChat) out.push('unique-chat');
  return out;
}

const staff = (roles: readonly Role[]) => roles.includes('broadcaster') || roles.includes('moderator');

/**
 * A mode that keeps the bot from speaking, with what to do about it, or undefined. Moderators and
 * the broadcaster are exempt from every mode; VIPs from slow mode only (handled by `slowMs`).
 */
export function roomBlock(m: RoomModes, botRoles: readonly Role[]): string | undefined {
  if (staff(botRoles)) return undefined;
  if (m.emoteOnly) return 'the channel is in emote-only mode: the bot answers again when it ends (or make it a moderator)';
  if (m.subsOnly && !botRoles.includes('subscriber') && !botRoles.includes('vip'))
    return 'the channel is in subscribers-only mode: make the bot a moderator or VIP';
  return undefined;
}

/** The gap slow mode imposes on the bot between two messages (0 when exempt). */
export function slowMs(m: RoomModes, botRoles: readonly Role[]): number {
  return m.slowSeconds > 0 && !staff(botRoles) && !botRoles.includes('vip') ? m.slowSeconds * 1000 + 250 : 0;
}
