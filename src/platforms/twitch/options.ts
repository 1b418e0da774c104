import type { Clock, Guard, Health, Logger } from '../../core/index.js';
import type { Helix } from './helix.js';

export interface TwitchPlatformOptions {
  readonly channel: string;
  /** Absent: anonymous and read-only. */
  readonly username?: string;
  /** Returns the current user token, without `oauth:`. Called on every (re)connect. */
  readonly token?: () => string | Promise<string>;
  readonly server: { readonly host: string; readonly port: number; readonly secure: boolean };
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  /**
   * How long a JOIN may go unanswered once logged in. Twitch drops a JOIN to a channel that does
   * not exist (or is suspended) without a word; only this timeout tells that from a slow server.
   */
  readonly joinTimeoutMs?: number;
  readonly random?: () => number;
  /**
   * Called when Twitch refuses the login. `retry`: a fresh token is ready, connect again;
   * `anonymous`: keep reading without logging in (read-only).
   */
  readonly onAuthFailure?: () => Promise<'retry' | 'anonymous'>;
  /** When given, the channel's live status (start, title, archive video) is asked of Helix. */
  readonly helix?: Helix;
}

/** Twitch answers a JOIN in well under a second; 15 s without an answer means no such channel. */
export const JOIN_TIMEOUT_MS = 15_000;
