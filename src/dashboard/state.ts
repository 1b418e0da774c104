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
  /** The bot's own reply. */
  readonly bot?: boolean;
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
  /** When it was asked (ms since epoch), for the clock time shown on hover. */
  readonly askedAt: number;
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
  askedAt: q.createdAt,
  highlighted: q.highlighted,
  paid: q.paid?.display ?? null,
});

export interface TopicView {
  readonly id: number;
  readonly title: string;
  readonly source: string;
  readonly startedAt: number;
}

export const topicView = (t: TopicRow): TopicView => ({ id: t.id, title: t.title, source: t.source, startedAt: t.startedAt });

export type StatusView = ReturnType<typeof statusView>;
export type ProblemView = ReturnType<typeof problemView>;

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

/** Everything the dashboard shows at once: sent on connect, then kept current by events. */
export interface StateView {
  readonly topic: TopicView | null;
  readonly timeline: readonly TopicView[];
  /** The live queue: open questions, best first, at most `questionsShown`; then the latest closed ones. */
  readonly questions: readonly QuestionView[];
  /** How many open questions there are in all (the queue may show fewer). */
  readonly openQuestions: number;
  readonly platforms: readonly StatusView[];
  readonly problems: readonly ProblemView[];
  readonly chat: readonly ChatView[];
  readonly stream: { readonly id: number; readonly startedAt: number } | null;
  /** The OBS browser-source address (with its read-only key). */
  readonly overlayUrl: string;
  /** A topic proposed to the streamer (the stream's title, or what questions are about), or null. */
  readonly suggestion: { readonly title: string; readonly reason: string; readonly url?: string } | null;
}

/** All the overlay may know: the topic and the question on screen. */
export interface OverlayView {
  readonly topic: { readonly title: string } | null;
  readonly question: {
    readonly id: number;
    readonly text: string;
    readonly author: string;
    readonly askerCount: number;
    readonly votes: number;
    readonly paid: string | null;
  } | null;
}

export const overlayQuestion = (q: QuestionView | undefined): OverlayView['question'] =>
  q ? { id: q.id, text: q.text, author: q.author, askerCount: q.askerCount, votes: q.votes, paid: q.paid } : null;

export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly T[];
}

export interface SearchView {
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly score: number;
}
