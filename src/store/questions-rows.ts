/** The questions' rows as the store gives them, and how SQLite's rows become them. */

export type QuestionState = 'open' | 'answered' | 'dismissed' | 'removed';
export type QuestionSource = 'command' | 'detected';

/** A payment with a question (Super Chat, bits), as the platform stated it. */
export interface PaidRow {
  readonly platform: string;
  readonly amount: number;
  /** ISO 4217 code, or `bits`. */
  readonly currency: string;
  readonly display: string;
  readonly tier: number;
}

export interface Asker {
  readonly platform: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly askedAt: number;
  readonly messageId: string;
  readonly paid?: PaidRow | null;
}

export interface NewQuestion {
  readonly streamId: number;
  readonly platform: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly text: string;
  readonly createdAt: number;
  readonly offsetSeconds: number;
  readonly topicId: number | null;
  readonly source: QuestionSource;
  readonly messageId: string;
  readonly paid?: PaidRow | null;
}

export interface QuestionRow extends NewQuestion {
  readonly id: number;
  readonly number: number;
  readonly state: QuestionState;
  readonly stateAt: number | null;
  readonly askerCount: number;
  readonly votes: number;
  readonly highlighted: boolean;
  readonly paid: PaidRow | null;
}

/**
 * A question's score: every viewer who asked it, plus every vote, plus the tier of its best
 * payment (1 for the smallest Super Chat or 1–99 bits, up to 6 for 10,000 bits; see BITS_TIERS),
 * so a paid question ranks above the same question unpaid.
 */
export const questionScore = (q: Pick<QuestionRow, 'votes' | 'askerCount'> & { readonly paid?: PaidRow | null }): number =>
  q.votes + q.askerCount + (q.paid?.tier ?? 0);

export interface Raw {
  id: number;
  stream_id: number;
  number: number;
  platform: string;
  author_id: string;
  author_name: string;
  text: string;
  created_at: number;
  offset_seconds: number;
  topic_id: number | null;
  source: string;
  message_id: string;
  state: string;
  state_at: number | null;
  asker_count: number;
  votes: number;
  highlighted: number;
  paid_platform: string | null;
  paid_amount: number | null;
  paid_currency: string | null;
  paid_display: string | null;
  paid_tier: number;
}

export interface RawAsker {
  question_id: number;
  platform: string;
  author_id: string;
  author_name: string;
  asked_at: number;
  message_id: string;
  paid_amount: number | null;
  paid_currency: string | null;
  paid_display: string | null;
  paid_tier: number;
}

export const toAsker = (a: RawAsker): Asker => ({
  platform: a.platform,
  authorId: a.author_id,
  authorName: a.author_name,
  askedAt: a.asked_at,
  messageId: a.message_id,
  paid:
    a.paid_tier > 0
      ? { platform: a.platform, amount: a.paid_amount ?? 0, currency: a.paid_currency ?? '?', display: a.paid_display ?? '', tier: a.paid_tier }
      : null,
});

export const toRow = (r: Raw): QuestionRow => ({
  id: r.id,
  streamId: r.stream_id,
  number: r.number,
  platform: r.platform,
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
  createdAt: r.created_at,
  offsetSeconds: r.offset_seconds,
  topicId: r.topic_id,
  source: r.source as QuestionSource,
  messageId: r.message_id,
  state: r.state as QuestionState,
  stateAt: r.state_at,
  askerCount: r.asker_count,
  votes: r.votes,
  highlighted: r.highlighted === 1,
  paid:
    r.paid_tier > 0
      ? {
          platform: r.paid_platform ?? r.platform,
          amount: r.paid_amount ?? 0,
          currency: r.paid_currency ?? '?',
          display: r.paid_display ?? '',
          tier: r.paid_tier,
        }
      : null,
});
