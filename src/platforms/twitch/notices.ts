import type { TmiIrcMessage } from './irc.external.js';

/**
 * What a NOTICE about the bot's own message means (Twitch's msg-id reference):
 * - `throttle`: sent too fast or the same text again; the outbox waits and may resend once;
 * - `message`: this one message was refused for its content (AutoMod, unprocessable characters,
 *   unique-chat mode); it counts as refused, the next ones may pass;
 * - `blocked`: the bot cannot speak in the channel for a while (banned, timed out, unverified,
 *   a room mode it does not meet); queued replies are refused and sending pauses;
 * - `channel`: the channel itself is gone (suspended, not found).
 */
export type Notice =
  | { readonly kind: 'throttle'; readonly code: string; readonly reason: 'ratelimit' | 'slowmode' | 'duplicate' }
  | { readonly kind: 'message'; readonly code: string }
  | { readonly kind: 'blocked'; readonly code: string; readonly scope: 'lasting' | 'timeout' | 'room'; readonly fix: string; readonly seconds?: number }
  | { readonly kind: 'channel'; readonly code: string };

/** How long a lasting refusal pauses sending before one more try (a reconnect also retries). */
export const BLOCK_RETRY_MS = 10 * 60_000;

const THROTTLE: Record<string, 'ratelimit' | 'slowmode' | 'duplicate'> = {
  msg_ratelimit: 'ratelimit',
  msg_slowmode: 'slowmode',
  msg_duplicate: 'duplicate',
};

const MESSAGE = new Set(['msg_r9k', 'msg_rejected', 'msg_rejected_mandatory', 'msg_bad_characters', 'msg_censored_broadcaster']);

/** Lasting refusals and room modes, with what the streamer can do about each. */
const BLOCKED: Record<string, { scope: 'lasting' | 'room'; fix: string }> = {
  msg_banned: { scope: 'lasting', fix: 'the bot account is banned in this channel: unban it (/unban <bot>) so it can answer' },
  msg_channel_blocked: { scope: 'lasting', fix: 'Twitch says the bot account is not in good standing in this channel: check its account, or use another' },
  msg_banned_email_alias: { scope: 'lasting', fix: "the bot account's email address is banned in this channel: use another account" },
  msg_requires_verified_phone_number: {
    scope: 'lasting',
    fix: "this channel requires a verified phone number: verify the bot account's phone number (twitch.tv/settings/security), or make it a moderator",
  },
  msg_verified_email: {
    scope: 'lasting',
    fix: "this channel requires a verified email: verify the bot account's email (twitch.tv/settings/security), or make it a moderator",
  },
  msg_suspended: { scope: 'lasting', fix: 'Twitch has suspended the bot account: it can only read' },
  tos_ban: { scope: 'lasting', fix: 'Twitch has closed this channel for a Terms of Service violation' },
  msg_warned: { scope: 'lasting', fix: 'the bot account has a warning to acknowledge: log in to Twitch as the bot and acknowledge it' },
  msg_facebook: { scope: 'lasting', fix: 'Twitch refuses messages from this account here: use another account' },
  msg_followersonly: { scope: 'room', fix: 'the channel is in followers-only mode: follow it with the bot account, or make the bot a moderator or VIP' },
  msg_followersonly_followed: {
    scope: 'room',
    fix: 'the channel is in followers-only mode and the bot has not followed long enough: make the bot a moderator or VIP',
  },
  msg_followersonly_zero: { scope: 'room', fix: 'the channel is in followers-only mode: follow it with the bot account, or make the bot a moderator or VIP' },
  msg_subsonly: { scope: 'room', fix: 'the channel is in subscribers-only mode: make the bot a moderator or VIP' },
  msg_emoteonly: { scope: 'room', fix: 'the channel is in emote-only mode: the bot answers again when it ends (or make it a moderator)' },
};

const CHANNEL = new Set(['msg_channel_suspended', 'msg_room_not_found']);

/** A NOTICE about the bot's messages or its channel, or null for any other line. Pure. */
export function classifyNotice(msg: TmiIrcMessage): Notice | null {
  if (msg.command !== 'NOTICE') return null;
  const code = typeof msg.tags?.['msg-id'] === 'string' ? msg.tags['msg-id'] : '';
  if (!code) return null;
  const throttle = THROTTLE[code];
  if (throttle) return { kind: 'throttle', code, reason: throttle };
  if (MESSAGE.has(code)) return { kind: 'message', code };
  if (CHANNEL.has(code)) return { kind: 'channel', code };
  if (code === 'msg_timedout') {
    // "You are timed out for 3600 more seconds." (older: "... for 86387 more seconds.")
    const text = typeof msg.params?.[1] === 'string' ? msg.params[1] : '';
    const seconds = Number(/(\d+) more seconds?/.exec(text)?.[1]);
    return {
      kind: 'blocked',
      code,
      scope: 'timeout',
      fix: 'the bot account is timed out in this channel; it answers again when the timeout ends',
      ...(seconds > 0 ? { seconds } : {}),
    };
  }
  const b = BLOCKED[code];
  return b ? { kind: 'blocked', code, scope: b.scope, fix: b.fix } : null;
}
