import type { BacklogRow } from '../store/index.js';
import { backlogScore } from './rank.js';

export interface Link {
  readonly title: string;
  readonly url: string;
}

export type EntryState = 'open' | 'answered' | 'dismissed';

/** A backlog item as shown: its state as the streamer sees it, its engagement and where it belongs. */
export interface BacklogEntry {
  readonly id: number;
  readonly text: string;
  readonly state: EntryState;
  readonly score: number;
  readonly askerCount: number;
  readonly votes: number;
  readonly paidTier: number;
  /** What was paid with it, as the platforms stated it. */
  readonly paid: readonly string[];
  /** Stream session ids it was asked in, oldest first. */
  readonly streams: readonly number[];
  readonly topics: readonly string[];
  /** The note section the search matches for it (the notes to extend), when notes are loaded. */
  readonly note: Link | null;
  /** The post that answers it. */
  readonly answeredBy: Link | null;
  /** When it was marked answered (by a post or by hand), or answered live; null while open. */
  readonly answeredAt: number | null;
  /** Answered on stream: when, and in which stream session. */
  readonly answeredLive: { readonly streamId: number; readonly at: number } | null;
  readonly firstAskedAt: number;
  readonly lastAskedAt: number;
}

/**
 * An item as the streamer sees it, from its row: answered when the streamer said so, or when one of
 * its questions was answered live and nobody asked it again afterwards; dismissed when nothing of it
 * is open and (once reopened) it was dismissed again since; open otherwise.
 */
export function toEntry(r: BacklogRow, topics: readonly string[], paid: readonly string[], now: number, halfLifeDays: number): BacklogEntry {
  const live = r.answeredLiveAt !== null && (r.lastOpenAt === null || r.lastOpenAt <= r.answeredLiveAt) ? r.answeredLiveAt : null;
  // Dismissed when nothing of it is open, and (once reopened) dismissed again since.
  const dismissed = r.openMembers === 0 && r.dismissedMembers > 0 && (r.reopenedAt === null || (r.dismissedAt ?? 0) > r.reopenedAt);
  const state: EntryState = r.state !== 'open' ? r.state : live !== null ? 'answered' : dismissed ? 'dismissed' : 'open';
  return {
    id: r.id,
    text: r.text,
    state,
    score: backlogScore(
      { askerCount: r.askerCount, votes: r.votes, paidTier: r.paidTier, streams: r.streamIds.length, lastAskedAt: r.lastAskedAt },
      now,
      halfLifeDays,
    ),
    askerCount: r.askerCount,
    votes: r.votes,
    paidTier: r.paidTier,
    paid,
    streams: r.streamIds,
    topics,
    note: null,
    answeredBy: r.state === 'answered' && r.answeredUrl ? { url: r.answeredUrl, title: r.answeredTitle ?? r.answeredUrl } : null,
    answeredAt: state !== 'answered' ? null : r.state === 'answered' ? r.stateAt : live,
    answeredLive:
      state === 'answered' && r.state === 'open' && live !== null && r.answeredLiveStream !== null ? { streamId: r.answeredLiveStream, at: live } : null,
    firstAskedAt: r.firstAskedAt,
    lastAskedAt: r.lastAskedAt,
  };
}
