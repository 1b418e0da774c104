import type { ChatPlatform, Clock, Guard, Health, Logger } from '../core/index.js';

export interface Reply {
  readonly channel: string;
  readonly text: string;
  /** How to address the viewer (`@alice`, from `addressOf`); merged with others when replies are coalesced. */
  readonly mention?: string;
  /** Platform message id to thread under. */
  readonly replyTo?: string;
  /**
   * Replies with the same key waiting side by side are merged into one message at once, each
   * shown by its `short` form (`@a #12 · @b #13`), so a burst of acknowledgements takes a few
   * queue slots instead of one each and nobody's is dropped.
   */
  readonly merge?: { readonly key: string; readonly short: string };
}

export interface OutboxOptions {
  readonly platform: Pick<ChatPlatform, 'id' | 'send' | 'limits' | 'status' | 'onSignal'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  /** A reply still waiting after this long is dropped: late answers confuse more than they help. */
  readonly maxDelayMs: number;
  /** Items beyond this are refused at once (the queue never grows without bound). */
  readonly maxQueue: number;
  /** Joins coalesced answers. */
  readonly separator?: string;
  /**
   * Where recent send times are kept across restarts. Limits are per account on the platform's
   * side, so a bot restarted after a crash must remember what it sent in the current window.
   */
  readonly history?: { load(): readonly number[]; save(times: readonly number[]): void };
}

export interface OutboxStats {
  queued: number;
  sent: number;
  repliesDelivered: number;
  coalesced: number;
  droppedLate: number;
  droppedFull: number;
  droppedDuplicate: number;
  /** Messages the platform said were sent too fast (and were waited for, maybe resent). */
  rejected: number;
  /** Replies the platform refused for good (bot banned, timed out, a room mode, the content). */
  refused: number;
}
