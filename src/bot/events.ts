import type { ChatEvent, PlatformId, PlatformStatus } from '../core/index.js';
import type { Outcome } from '../commands/index.js';
import type { QuestionChange } from '../questions/index.js';
import type { QuestionRow, TopicRow } from '../store/index.js';

/** Domain events the bot publishes; the demo prints them, the dashboard will push them. */
export type DomainEvents = {
  chat: ChatEvent;
  outcome: { readonly event: ChatEvent; readonly outcome: Outcome };
  'reply-sent': { readonly platform: PlatformId; readonly text: string; readonly replies: number };
  'platform-status': PlatformStatus;
  'topic-changed': TopicRow;
  question: { readonly question: QuestionRow; readonly change: QuestionChange };
};
