import type { ChatEvent, HealthProblem, PlatformStatus } from '../core/index.js';
import { score } from '../questions/index.js';
import type { QuestionRow, TopicRow } from '../store/index.js';

/** What the page sees of a chat message: never ids of accounts beyond what chat shows. */
export interface ChatView {
  readonly platform: string;
  readonly id: string;
  readonly kind: string;
  readonly author: string;
  readonly roles: readonly string[];
  readonly text: string;
  readonly time: number;
  /** A payment with the message (`€5.00`, `100 bits`). */
  readonly paid?: string;
  /** A Shared Chat copy of a message written in a partner's channel (shown, never answered). */
  readonly shared?: boolean;
}

export interface QuestionView {
  readonly id: number;
  readonly text: string;
  readonly state: string;
  readonly source: string;
  readonly askerCount: number;
  readonly votes: number;
  readonly score: number;
  readonly author: string;
  readonly platform: string;
  readonly offsetSeconds: number;
  readonly highlighted: boolean;
  /** What was paid with it, as shown by the platform (`€5.00`, `100 bits`), or null. */
  readonly paid: string | null;
}

export const chatView = (e: ChatEvent): ChatView => ({
  platform: e.platform,
  id: e.id,
  kind: e.kind,
  author: e.author.displayName,
  roles: e.author.roles,
  text: e.text,
  time: e.time,
  ...(e.paid ? { paid: e.paid.display } : {}),
  ...(e.sharedFrom ? { shared: true } : {}),
});

export const questionView = (q: QuestionRow): QuestionView => ({
  id: q.number,
  text: q.text,
  state: q.state,
  source: q.source,
  askerCount: q.askerCount,
  votes: q.votes,
  score: score(q),
  author: q.authorName,
  platform: q.platform,
  offsetSeconds: q.offsetSeconds,
  highlighted: q.highlighted,
  paid: q.paid?.display ?? null,
});

export const topicView = (t: TopicRow) => ({ id: t.id, title: t.title, source: t.source, startedAt: t.startedAt });

/** Platform status without anything secret (statuses never carry tokens; this keeps it so). */
export const statusView = (s: PlatformStatus) => ({
  platform: s.platform,
  state: s.state,
  channel: s.channel,
  canSend: s.canSend,
  botRoles: s.botRoles,
  lastMessageAt: s.lastMessageAt,
  connectedAt: s.connectedAt,
  reconnects: s.reconnects,
  messagesIn: s.messagesIn,
  messagesOut: s.messagesOut,
  detail: s.detail ?? null,
  transport: s.transport ?? null,
  quota: s.quota ?? null,
  sendBlocked: s.sendBlocked ?? null,
  modes: s.modes ?? [],
});

export const problemView = (p: HealthProblem) => ({ component: p.component, code: p.code, message: p.message, at: p.at, count: p.count });
