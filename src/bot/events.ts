import type { ChatEvent, PlatformId, PlatformStatus } from '../core/index.js';
import type { Outcome } from '../commands/index.js';

/** Domain events the bot publishes; the demo prints them, the dashboard will push them. */
export type DomainEvents = {
  chat: ChatEvent;
  outcome: { readonly event: ChatEvent; readonly outcome: Outcome };
  'reply-sent': { readonly platform: PlatformId; readonly text: string; readonly replies: number };
  'platform-status': PlatformStatus;
};
