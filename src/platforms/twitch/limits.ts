import type { Role, SendLimits } from '../../core/index.js';

/**
 * Twitch's chat send limits, in one place (Twitch's documented rate limits). The window carries one second of
 * margin: Twitch counts on its clock, after network latency, and going over is punished for up to
 * an hour, so arriving a little late beats arriving a little early.
 */
export const TWITCH_LIMITS = {
  maxLength: 500,
  windowMs: 31_000,
  duplicateWindowMs: 30_000,
  regular: { perWindow: 20, minIntervalMs: 1_050 },
  elevated: { perWindow: 100, minIntervalMs: 0 },
} as const;

export function twitchLimits(botRoles: readonly Role[]): SendLimits {
  const elevated = botRoles.some((r) => r === 'broadcaster' || r === 'moderator' || r === 'vip');
  const tier = elevated ? TWITCH_LIMITS.elevated : TWITCH_LIMITS.regular;
  return {
    maxLength: TWITCH_LIMITS.maxLength,
    windowMs: TWITCH_LIMITS.windowMs,
    duplicateWindowMs: TWITCH_LIMITS.duplicateWindowMs,
    perWindow: tier.perWindow,
    minIntervalMs: tier.minIntervalMs,
  };
}
