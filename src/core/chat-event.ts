/** The vocabulary every part of Lectern speaks: one chat event, whatever the platform. */

export type PlatformId = 'twitch' | 'youtube';

/** Roles, lowest to highest. A viewer may hold several; `permissionLevel` takes the highest. */
export type Role = 'subscriber' | 'vip' | 'moderator' | 'broadcaster';

export type ChatEventKind = 'message' | 'paid-message' | 'membership' | 'deletion' | 'ban' | 'system';

export interface ChatAuthor {
  /** Stable platform user id (Twitch `user-id`, YouTube channel id). */
  readonly id: string;
  /** Login or handle, safe to mention (Twitch login: [a-z0-9_]). */
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

export interface ChatEvent {
  readonly platform: PlatformId;
  readonly channel: string;
  /** Platform message id; unique per platform. */
  readonly id: string;
  readonly kind: ChatEventKind;
  readonly author: ChatAuthor;
  /** What the viewer wrote, already cleaned of control characters and bounded in length. */
  readonly text: string;
  /** Server time in ms since the epoch when the platform gives it, else receive time. */
  readonly time: number;
  /** True for `/me` actions. */
  readonly action?: boolean;
  /** For paid messages (bits, Super Chat, Super Sticker): what was paid, as the platform gave it. */
  readonly paid?: Paid;
  /** For gifted memberships: how many. */
  readonly giftCount?: number;
  /** Shared Chat: the room id of the channel this message was written in, when it is not this one. */
  readonly sharedFrom?: string;
  /** For deletions and bans: what they target. */
  readonly target?: { readonly messageId?: string; readonly userId?: string; readonly login?: string; readonly durationSeconds?: number };
  /** Free-form subtype: `sub`, `resub`, `subgift`, `raid`, `cheer`, `clearchat`, ... */
  readonly subtype?: string;
  /** True when the text was cut to the maximum length. */
  readonly truncated?: boolean;
  /** Shared Chat: the id of the original message this copy came from. */
  readonly sourceId?: string;
  /** Id of the message this one answers (threaded reply), if any. */
  readonly replyTo?: string;
}

/**
 * A payment attached to a message. Amounts are kept as given, never converted between currencies;
 * `tier` (1 = the smallest) is what ranking uses: YouTube's own Super Chat / Super Sticker tier,
 * or for bits the table in `bitsTier`.
 */
export interface Paid {
  /** Bits, or units of the currency (5 for €5.00). */
  readonly amount: number;
  /** ISO 4217 code, or `bits`. */
  readonly currency: string;
  /** As the platform shows it: `€5.00`, `100 bits`. */
  readonly display: string;
  readonly tier: number;
}

/** Bits to a tier, so a cheer ranks like a Super Chat of similar size (1 bit is about 1 US cent). */
export const BITS_TIERS: ReadonlyArray<readonly [minBits: number, tier: number]> = [
  [10_000, 6],
  [5_000, 5],
  [1_000, 4],
  [500, 3],
  [100, 2],
  [1, 1],
];

export function bitsTier(bits: number): number {
  for (const [min, tier] of BITS_TIERS) if (bits >= min) return tier;
  return 0;
}

const ORDER: Record<Role | 'everyone', number> = {
  everyone: 0,
  subscriber: 1,
  vip: 2,
  moderator: 3,
  broadcaster: 4,
};

export type Permission = Role | 'everyone';

export function permissionLevel(roles: readonly Role[]): number {
  let level = 0;
  for (const r of roles) level = Math.max(level, ORDER[r]);
  return level;
}

export function hasPermission(roles: readonly Role[], needed: Permission): boolean {
  return permissionLevel(roles) >= ORDER[needed];
}

export function isModeratorOrAbove(roles: readonly Role[]): boolean {
  return hasPermission(roles, 'moderator');
}
