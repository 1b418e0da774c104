import type { PlatformId } from '../core/index.js';
import type { BotEvents } from '../bot/index.js';
import type { QuestionChange } from '../questions/index.js';
import type { QuestionRow, StreamRow, TopicRow } from '../store/index.js';
import type { ModerationAction } from '../moderation/index.js';
import type { TopicSuggestion } from './topic-suggestions.js';

/**
 * Everything that happens, on one bus: what the bot reads and sends, and what the services change.
 * The dashboard pushes them to its pages; the demo prints them.
 */
export type DomainEvents = BotEvents & {
  'topic-changed': TopicRow;
  question: { readonly question: QuestionRow; readonly change: QuestionChange };
  /** A new stream session began (a platform went live after the last one ended). */
  'stream-begun': StreamRow;
  /** The backlog changed: its items (new questions placed, states), or proposals of posts. */
  backlog: { readonly change: 'items' | 'proposals' };
  /** A topic proposed on the dashboard (the stream's title, or what questions are about), or none. */
  'topic-suggestion': TopicSuggestion | null;
  /** A viewer's data was erased (`lectern forget`): what is shown of them goes too. */
  'viewer-forgotten': { readonly platform: PlatformId; readonly id: string; readonly names: readonly string[] };
  /** Link protection deleted a line, let one through, or could not delete it. */
  moderation: ModerationAction;
  /** Channel commands or timers changed (chat, the dashboard, a config reload), or a config edit was refused. */
  'bot-config': { readonly change: 'commands' | 'timers' | 'config' };
};

export type { PlatformId };
