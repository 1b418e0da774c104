import type { ChatEvent, LiveInfo, PlatformId, PlatformStatus } from '../core/index.js';
import type { Outcome } from '../commands/index.js';

/** What the bot reports: chat read, commands' outcomes, replies sent, platforms' state. */
export type BotEvents = {
  chat: ChatEvent;
  outcome: { readonly event: ChatEvent; readonly outcome: Outcome };
  'reply-sent': { readonly platform: PlatformId; readonly text: string; readonly replies: number };
  'platform-status': PlatformStatus;
  /** A platform went live or offline. */
  'platform-live': { readonly platform: PlatformId; readonly live: LiveInfo };
  /** The stream's title on a platform, at start and when it changes. */
  'platform-title': { readonly platform: PlatformId; readonly title: string };
};

/** Where the bot publishes them (the app's bus). */
export type BotEmit = <K extends keyof BotEvents>(event: K, payload: BotEvents[K]) => void;
