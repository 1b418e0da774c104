/** The backlog's rows as the store gives them. */

export type ItemState = 'open' | 'answered' | 'dismissed';

/** A backlog item with what its questions add up to (questions moderation removed left out). */
export interface BacklogRow {
  readonly id: number;
  readonly text: string;
  readonly createdAt: number;
  /** What the streamer decided; `open` may still be answered live (see `answeredLiveAt`). */
  readonly state: ItemState;
  readonly stateAt: number | null;
  readonly answeredUrl: string | null;
  readonly answeredTitle: string | null;
  readonly reopenedAt: number | null;
  /** Questions in the item, and how many of them are open, answered, dismissed. */
  readonly members: number;
  readonly openMembers: number;
  readonly dismissedMembers: number;
  /** When the latest of its questions was dismissed, or null. */
  readonly dismissedAt: number | null;
  /** The latest live answer of one of its questions after any reopening, or null. */
  readonly answeredLiveAt: number | null;
  /** The stream of that live answer. */
  readonly answeredLiveStream: number | null;
  /** When the latest of its open questions was asked, or null. */
  readonly lastOpenAt: number | null;
  readonly streamIds: readonly number[];
  readonly askerCount: number;
  readonly votes: number;
  readonly paidTier: number;
  /** When it was last asked (by any asker, merges included). */
  readonly lastAskedAt: number;
  readonly firstAskedAt: number;
}

export interface ItemQuestion {
  readonly id: number;
  readonly streamId: number;
  readonly number: number;
  readonly text: string;
  readonly state: string;
  readonly createdAt: number;
  readonly platform: string;
}

export interface ProposalRow {
  readonly itemId: number;
  readonly url: string;
  readonly title: string;
  readonly score: number;
  readonly proposedAt: number;
  readonly state: 'pending' | 'confirmed' | 'rejected';
}

export interface FollowUpRow {
  readonly platform: string;
  readonly authorId: string;
  readonly itemId: number;
  readonly authorName: string;
  readonly askedStreamId: number;
  readonly askedAt: number;
  readonly url: string;
  readonly title: string;
}

export interface RawItem {
  id: number;
  text: string;
  created_at: number;
  state: string;
  state_at: number | null;
  answered_url: string | null;
  answered_title: string | null;
  reopened_at: number | null;
  members: number;
  open_members: number;
  dismissed_members: number;
  dismissed_at: number | null;
  answered_live_at: number | null;
  last_open_at: number | null;
  stream_ids: string;
  first_asked: number;
}
