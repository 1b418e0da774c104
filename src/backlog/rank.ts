/**
 * How a backlog item ranks: what viewers put into it, fading with time since it was last asked.
 *
 *   engagement = askers + votes + paid tier + 2 × (streams − 1)
 *   score      = engagement × 0.5 ^ (days since last asked ÷ half-life)
 *
 * Askers and voters are counted once per account across streams (a viewer who asks again in a
 * later stream is still one asker; that the question came back is what `streams` counts). The paid
 * tier is the best payment's tier (1 for the smallest Super Chat or 1–99 bits, up to 6), as in a
 * stream's own ranking. A question asked in three streams gets 4 more than one asked once. The
 * half-life (default 30 days, `backlog.halfLifeDays`) halves the score of what nobody asked for a month.
 */
export interface Engagement {
  readonly askerCount: number;
  readonly votes: number;
  readonly paidTier: number;
  /** In how many stream sessions it was asked. */
  readonly streams: number;
  /** When it was last asked (ms since epoch). */
  readonly lastAskedAt: number;
}

export const DEFAULT_HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;

export function engagement(e: Omit<Engagement, 'lastAskedAt'>): number {
  return e.askerCount + e.votes + e.paidTier + 2 * Math.max(0, e.streams - 1);
}

/** The item's score at `now`, rounded to two decimals. */
export function backlogScore(e: Engagement, now: number, halfLifeDays = DEFAULT_HALF_LIFE_DAYS): number {
  const ageDays = Math.max(0, now - e.lastAskedAt) / DAY_MS;
  const decay = halfLifeDays > 0 ? 0.5 ** (ageDays / halfLifeDays) : 1;
  return Math.round(engagement(e) * decay * 100) / 100;
}
