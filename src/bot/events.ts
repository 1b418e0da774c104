import type { ChatEvent, LiveInfo, PlatformId, PlatformStatus } from '../core/index.js';
import type { Outcome } from '../commands/index.js';
import type { QuestionChange } from '../questions/index.js';
import type { QuestionRow, StreamRow, TopicRow } from '../store/index.js';

/** Domain events the bot publishes; the demo prints them, the dashboard will push them. */
export type DomainEvents = {
  chat: ChatEvent;
  outcome: { readonly event: ChatEvent; readonly outcome: Outcome };
  'reply-sent': { readonly platform: PlatformId; readonly text: string; readonly replies: number };
  'platform-status': PlatformStatus;
  /** A platform went live or offline. */
  'platform-live': { readonly platform: PlatformId; readonly live: LiveInfo };
  /** A new stream session began (a platform went live after the last one ended). */
  'stream-begun': StreamRow;
  'topic-changed': TopicRow;
  question: { readonly question: QuestionRow; readonly change: QuestionChange };
};
