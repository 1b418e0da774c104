import { LecternError, type ChatEvent, type EventBus, type Health, type Logger, type PlatformStatus } from '../core/index.js';
import type { DomainEvents } from './events.js';
import type { Config } from '../config/index.js';
import { collectExport, EXPORT_EXTENSIONS, EXPORT_FORMATS, render, type ExportFormat } from '../export/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { QuestionLog } from '../questions/index.js';
import type { Store, StreamRow } from '../store/index.js';
import type { TopicTracker } from '../topics/index.js';
import { topicsReport, type Backlog, type Link } from '../backlog/index.js';
import type { TopicSuggestion } from './topic-suggestions.js';
import { addresses, type DataParts } from './data.js';
import {
  chatView,
  DashboardServer,
  overlayQuestion,
  problemView,
  questionView,
  statusView,
  topicView,
  type ChatView,
  type CommandsApi,
  type DashboardApi,
  type QuestionAction,
} from '../dashboard/index.js';

/** How many open questions the live queue shows (the database keeps them all); closed ones after. */
export const QUEUE_OPEN = 200;
const QUEUE_CLOSED = 50;
const RECENT_CHAT = 200;
/** How often platform statuses are compared with what the pages have. */
export const STATUS_REFRESH_MS = 5000;

const CONTENT: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  chapters: 'text/plain; charset=utf-8',
};

/** What the dashboard reads from and acts on: the app's services, passed in (not the App). */
export interface DashboardParts {
  readonly config: Config;
  readonly token: string;
  readonly logger: Logger;
  readonly bus: EventBus<DomainEvents>;
  readonly health: Health;
  readonly store: Store;
  readonly questions: QuestionLog;
  readonly topics: TopicTracker;
  readonly knowledge: KnowledgeBase;
  readonly statuses: () => PlatformStatus[];
  readonly stream: () => StreamRow;
  readonly now: () => number;
  readonly backlog: Backlog;
  /** The note section for a text, for exports and topics. */
  readonly noteFor: (text: string) => Link | null;
  /** An answer was given in this process: who waits for a follow-up is read again. */
  readonly answered: () => void;
  /** The topic proposed on the dashboard, if any. */
  readonly suggestions: { current(): TopicSuggestion | null; dismiss(): void };
  /** Erasing a viewer. */
  readonly data: DataParts;
  /** The Commands view: channel commands, timers, link protection, the last config change. */
  readonly bot: CommandsApi;
}

/** A line of the dashboard's chat, with whose it is (kept here, never sent to the page). */
interface RecentChat {
  readonly view: ChatView;
  readonly platform: string;
  readonly authorId: string;
}

/** Does this deletion or ban take this chat line away? */
const removedBy = (e: ChatEvent, c: RecentChat): boolean =>
  c.platform === e.platform && (e.target?.messageId ? c.view.id === e.target.messageId : c.authorId === e.target?.userId);

function act(q: QuestionLog, number: number, action: QuestionAction) {
  switch (action) {
    case 'answer':
      return q.setState(number, 'answered');
    case 'dismiss':
      return q.setState(number, 'dismissed');
    case 'reopen':
      return q.get(number)?.state === 'removed' ? undefined : q.setState(number, 'open');
    case 'restore':
      return q.get(number)?.state === 'removed' ? q.setState(number, 'open', { restore: true }) : undefined;
    case 'highlight':
      return q.highlight(number);
    case 'unhighlight':
      // Takes whatever is on the overlay off it; answers with the question asked about.
      if (!q.get(number)) return undefined;
      q.highlight(null);
      return q.get(number);
  }
}

/**
 * Builds the dashboard: its API over the app's services, and the wiring from domain events to
 * what the pages receive (the dashboard everything it shows; the overlay its topic and question).
 */
export function createDashboard(p: DashboardParts): DashboardServer {
  const d = p.config.dashboard;
  const recentChat: RecentChat[] = [];
  let server: DashboardServer;
  const overlay = () => {
    const topic = p.topics.current();
    const highlighted = p.store.questions.highlighted(p.stream().id);
    return { topic: topic ? { title: topic.title } : null, question: overlayQuestion(highlighted ? questionView(highlighted) : undefined) };
  };
  const api: DashboardApi = {
    state: () => {
      const stream = p.stream();
      const open = p.store.questions.page(stream.id, 'open', 0, QUEUE_OPEN);
      const closed = p.store.questions.page(stream.id, 'closed', 0, QUEUE_CLOSED);
      const topic = p.topics.current();
      return {
        topic: topic ? topicView(topic) : null,
        timeline: p.topics.timeline().map(topicView),
        questions: [...open.items, ...closed.items].map(questionView),
        openQuestions: open.total,
        platforms: p.statuses().map(statusView),
        problems: p.health.list().map(problemView),
        chat: recentChat.map((c) => c.view),
        stream: { id: stream.id, startedAt: stream.startedAt },
        overlayUrl: server.overlayUrl,
        suggestion: p.suggestions.current(),
      };
    },
    questions: (which, offset, limit) => {
      const r = p.store.questions.page(p.stream().id, which, offset, limit);
      return { total: r.total, offset, items: r.items.map(questionView) };
    },
    setTopic: (title) => {
      const row = p.topics.set(title, 'dashboard', 'dashboard');
      const current = row ?? p.topics.current();
      return current ? topicView(current) : null;
    },
    questionAction: (number, action) => {
      const q = act(p.questions, number, action);
      return q ? questionView(q) : undefined;
    },
    exportText: (format) => {
      if (!(EXPORT_FORMATS as string[]).includes(format)) return undefined;
      const f = format as ExportFormat;
      const data = collectExport(p.store, p.stream().id, p.config.stream.vodUrl, p.now(), { noteFor: p.noteFor, answeredBy: (id) => p.backlog.answeredBy(id) });
      return { text: render(f, data).text, contentType: CONTENT[f], filename: `lectern-stream-${data.stream.id}.${EXPORT_EXTENSIONS[f]}` };
    },
    search: (q) => {
      if (!q.trim()) return [];
      const topic = p.topics.current()?.title;
      return p.knowledge.search(q, { limit: 8, topic }).map((r) => ({ title: r.title, url: r.url, source: r.source, score: r.score }));
    },
    overlay,
    dismissSuggestion: () => {
      p.suggestions.dismiss();
      return { ok: true };
    },
    dismissProblem: (component, code) => p.health.dismiss(component, code),
    backlog: (o) => {
      const { total, items } = p.backlog.list({ state: o.state, topic: o.topic || undefined, offset: o.offset, limit: o.limit });
      const topics = p.backlog.topicNames();
      return { total, offset: o.offset, items, topics, proposals: p.backlog.proposals() };
    },
    backlogAction: (id, action, post) => {
      const done = (e: ReturnType<Backlog['get']> & object) => {
        // The item's questions still open in this stream follow it in the live queue.
        const to = action === 'dismiss' ? 'dismissed' : action === 'reopen' ? undefined : 'answered';
        const current = p.stream().id;
        if (to) for (const q of p.backlog.questions(e.id)) if (q.streamId === current && q.state === 'open') p.questions.setState(q.number, to);
        p.bus.emit('backlog', { change: 'items' });
        return e;
      };
      switch (action) {
        case 'answer': {
          const e = p.backlog.answer(id, { url: post.url ?? '', title: post.title ?? '' });
          p.answered();
          return done(e);
        }
        case 'answer-live':
          return done(p.backlog.answer(id, 'live'));
        case 'dismiss':
          return done(p.backlog.dismiss(id));
        case 'reopen':
          return done(p.backlog.reopen(id));
      }
    },
    backlogMerge: (from, into) => {
      const e = p.backlog.merge(from, into);
      p.bus.emit('backlog', { change: 'items' });
      return e;
    },
    proposal: (itemId, url, action) => {
      if (action === 'confirm') {
        p.backlog.confirm(itemId, url);
        p.answered();
      } else p.backlog.reject(itemId, url);
      p.bus.emit('backlog', { change: 'proposals' });
      return { ok: true };
    },
    topicsReport: () => topicsReport(p.store, p.backlog, p.noteFor),
    forgetViewer: (r) => {
      if (r.line === undefined) return p.data.forget(r.platform, r.viewer ?? '');
      // A line of the chat panel: the page never sees account ids, so the line says whose it is.
      const c = recentChat.find((x) => x.platform === r.platform && x.view.id === r.line && x.authorId);
      if (!c) throw new LecternError('NOT_FOUND', 'That chat line is no longer on the dashboard: use lectern forget with their name');
      return { kind: 'forgotten', report: p.data.forgetAccount(r.platform, c.authorId, c.view.author) };
    },
    ...p.bot,
  };
  server = new DashboardServer({
    host: d.host,
    port: d.port,
    token: p.token,
    publicOrigins: d.publicOrigins,
    logger: p.logger,
    api,
    sessions: p.store.dashboardAuth,
    now: p.now,
  });

  let botLines = 0;
  const showChat = (view: ChatView, platform: string, authorId: string) => {
    recentChat.push({ view, platform, authorId });
    if (recentChat.length > RECENT_CHAT) recentChat.shift();
    server.broadcast('chat', view);
  };
  p.bus.on('chat', (e) => {
    if (e.kind === 'deletion' || e.kind === 'ban') {
      // Moderated chat disappears from the dashboard as it does from the platform's own chat.
      const gone = recentChat.filter((c) => removedBy(e, c));
      if (gone.length === 0) return;
      for (const c of gone) recentChat.splice(recentChat.indexOf(c), 1);
      server.broadcast('chat-removed', { ids: gone.map((c) => c.view.id) });
      return;
    }
    showChat(chatView(e), e.platform, e.author.id);
  });
  // A forgotten viewer's lines go, and the bot's replies that address them.
  p.bus.on('viewer-forgotten', (v) => {
    const names = addresses(v.platform, v.names);
    const gone = recentChat.filter((c) => c.platform === v.platform && (c.authorId === v.id || (c.view.bot === true && names(c.view.text))));
    for (const c of gone) recentChat.splice(recentChat.indexOf(c), 1);
    if (gone.length) server.broadcast('chat-removed', { ids: gone.map((c) => c.view.id) });
  });
  // The bot's own replies are part of the conversation the streamer reads.
  p.bus.on('reply-sent', (r) =>
    showChat(
      { platform: r.platform, id: `bot-${++botLines}`, kind: 'bot', author: 'Lectern', roles: [], text: r.text, time: p.now(), bot: true },
      r.platform,
      '',
    ),
  );
  p.bus.on('question', ({ question, change }) => {
    server.broadcast('question', questionView(question), String(question.number));
    // The page holds the best 200 open questions only: how many are open in all comes from here.
    server.broadcast('question-count', { open: p.questions.openCount() }, 'open');
    if (question.highlighted || change === 'highlight' || change === 'state' || change === 'removed') server.broadcastOverlay(overlay());
  });
  p.bus.on('topic-changed', (t) => {
    server.broadcast('topic', topicView(t));
    server.broadcastOverlay(overlay());
  });
  // A status also changes without a change of state (quota spent, read-only, the last message):
  // what pages were last sent is compared every few seconds, and sent again when it differs.
  const sentStatus = new Map<string, string>();
  p.bus.on('platform-status', (s) => {
    const view = statusView(s);
    sentStatus.set(s.platform, JSON.stringify(view));
    server.broadcast('status', view, s.platform);
  });
  server.every(STATUS_REFRESH_MS, () => {
    try {
      if (server.clientCount === 0) return sentStatus.clear();
      for (const s of p.statuses()) {
        const view = statusView(s);
        const json = JSON.stringify(view);
        if (sentStatus.get(s.platform) === json) continue;
        sentStatus.set(s.platform, json);
        server.broadcast('status', view, s.platform);
      }
    } catch (err) {
      p.health.report('dashboard.status', err);
    }
  });
  p.bus.on('stream-begun', () => {
    recentChat.length = 0;
    server.broadcast('stream', { resync: true });
    server.broadcastOverlay(overlay());
  });
  p.bus.on('backlog', (b) => server.broadcast('backlog', b, b.change));
  p.bus.on('topic-suggestion', (s) => server.broadcast('topic-suggestion', s, 'one'));
  // The Commands view reloads what changed: commands, timers, link protection, the config.
  p.bus.on('bot-config', ({ change }) => server.broadcast('bot', { change }, change));
  p.bus.on('moderation', () => server.broadcast('bot', { change: 'moderation' }, 'moderation'));
  p.health.onProblem((pr) => server.broadcast('problem', problemView(pr), `${pr.component}:${pr.code}`));
  p.health.onResolved((pr) => server.broadcast('problem-resolved', { component: pr.component, code: pr.code }, `${pr.component}:${pr.code}`));
  return server;
}
