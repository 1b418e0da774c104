import type { ChatEvent, PlatformId } from './chat-event.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'ended' | 'stopped';

export interface PlatformStatus {
  readonly platform: PlatformId;
  readonly state: ConnectionState;
  readonly channel: string;
  /** False when the bot can only read (anonymous Twitch, API-key YouTube). */
  readonly canSend: boolean;
  /** The bot's own roles in the channel, as the platform reported them. */
  readonly botRoles: readonly string[];
  readonly lastMessageAt: number | null;
  readonly connectedAt: number | null;
  readonly reconnects: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  /** Plain-words reason for the current state, when it is not `connected`. */
  readonly detail?: string;
  /**
   * Why the platform refuses the bot's messages right now (banned, timed out, a room mode, the
   * quota), with what to do about it. Replies are refused at once while it is set, not queued.
   */
  readonly sendBlocked?: string;
  /** Chat modes of the channel that matter to the streamer (slow mode, subscribers-only...). */
  readonly modes?: readonly string[];
  /** For platforms with a daily quota (YouTube). */
  readonly quota?: {
    readonly dailyUnits: number;
    readonly used: number;
    readonly remaining: number;
    readonly replyRemaining: number;
    readonly projectedMsLeft: number;
    readonly resetsAt: number;
  };
  /** Which way chat is read right now (YouTube: stream or poll). */
  readonly transport?: string;
}

/** A message the outbox hands to a platform: already split, bounded and safe. */
export interface OutgoingMessage {
  readonly channel: string;
  readonly text: string;
  /** Thread the message under this platform message id, when the platform supports it. */
  readonly replyTo?: string;
}

/** Send limits as the platform applies them to the bot right now. */
export interface SendLimits {
  readonly maxLength: number;
  /** Messages per window. */
  readonly perWindow: number;
  readonly windowMs: number;
  /** Minimum gap between two messages. */
  readonly minIntervalMs: number;
  /** Identical text within this many ms is rejected by the platform. */
  readonly duplicateWindowMs: number;
}

/**
 * Whether the stream is live, when the platform knows (YouTube: the video's live details; Twitch:
 * Helix, when a client id and a token are given), with what a stream session keeps of it.
 */
export interface LiveInfo {
  readonly state: 'live' | 'offline';
  /** When the platform says the stream started (ms since epoch): VOD times count from here. */
  readonly startedAt?: number;
  readonly title?: string;
  /** The recording: YouTube's video id, Twitch's archive video. */
  readonly videoId?: string;
  /** A link to the recording with `{seconds}` where the time goes. */
  readonly vodUrl?: string;
}

/**
 * Things the platform tells the outbox after the fact: a new status; the last message was sent
 * too fast (`send-rejected`: wait, maybe resend); or the platform refused it for good
 * (`send-refused`: that message, or everything waiting too when the bot cannot speak for now).
 */
export type PlatformSignal =
  | { readonly type: 'status'; readonly status: PlatformStatus }
  | { readonly type: 'send-rejected'; readonly reason: 'ratelimit' | 'duplicate' | 'slowmode'; readonly code: string }
  | { readonly type: 'send-refused'; readonly scope: 'message' | 'all'; readonly code: string }
  | { readonly type: 'live'; readonly live: LiveInfo }
  /** The stream's title as the platform has it now (at start, and when it changes). */
  | { readonly type: 'title'; readonly title: string };

export interface ChatPlatform {
  readonly id: PlatformId;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(message: OutgoingMessage): Promise<void>;
  onEvent(handler: (event: ChatEvent) => void): void;
  onSignal(handler: (signal: PlatformSignal) => void): void;
  status(): PlatformStatus;
  limits(): SendLimits;
}

/**
 * What became of deleting a viewer's message: done, or why not, in plain words. `no-rights`: the
 * bot may not delete here (not a moderator, a missing scope, no OAuth); nothing is tried until
 * that changes. `protected`: the platform keeps that message (a moderator's, or too old).
 */
export type ModerationResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'no-rights' | 'protected' | 'not-found' | 'quota' | 'failed'; readonly detail: string };

/** Deletes viewers' messages on one platform, where the bot is a moderator. */
export interface ChatModerator {
  readonly platform: PlatformId;
  /** Why the bot cannot delete messages here now (with what to do), or undefined when it can. */
  lacksRights(): string | undefined;
  deleteMessage(event: ChatEvent): Promise<ModerationResult>;
}
