import {
  EventBus,
  LecternError,
  type ChatPlatform,
  type Clock,
  type Guard,
  type Health,
  type Logger,
  type PlatformStatus,
  type TimerHandle,
} from '../core/index.js';
import { dataPaths, durations, type Config } from '../config/index.js';
import { Store, type StreamRow } from '../store/index.js';
import { CommandRouter } from '../commands/index.js';
import type { Outbox } from '../outbox/index.js';
import { Bot, type BotEmit } from '../bot/index.js';
import { TopicTracker } from '../topics/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { QuestionLog } from '../questions/index.js';
import { TokenStore, type TwitchTokens } from '../auth/index.js';
import type { DashboardServer } from '../dashboard/index.js';
import { registerCommands } from './commands.js';
import { createDashboard } from './dashboard.js';
import type { DomainEvents } from './events.js';
import { createKnowledge } from './knowledge.js';
import { wireStreamMarkers } from './markers.js';
import { noteFinder, wireBacklog, type BacklogParts } from './backlog.js';
import { wireTopicSuggestions, type TopicSuggestion } from './topic-suggestions.js';
import { createPlatforms } from './platforms.js';
import { wireQuestions } from './questions.js';
import { wireData, type DataParts } from './data.js';
import { createRuntime, type Runtime } from './runtime.js';
import { StreamSessions } from './sessions.js';

export interface AppDeps {
  readonly config: Config;
  /** Token for the dashboard; without one the dashboard does not start. */
  readonly dashboardToken?: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Called as soon as the dashboard listens, before the platforms connect (its address comes first). */
  readonly onDashboard?: (d: { url: string; overlayUrl: string }) => void;
}

/** Bounds of the shutdown steps, in ms. */
export const SHUTDOWN_BOUNDS = { commands: 2_000, outboxes: 5_000 } as const;
const HEARTBEAT_MS = 60_000;

/** What runs once the database is open. */
interface Services {
  readonly store: Store;
  readonly sessions: StreamSessions;
  readonly topics: TopicTracker;
  readonly questions: QuestionLog;
  readonly knowledge: KnowledgeBase;
  readonly router: CommandRouter;
  readonly bot: Bot;
  readonly platforms: ChatPlatform[];
  readonly outboxes: Map<string, Outbox>;
  readonly twitchTokens: TwitchTokens | undefined;
  readonly flushQuestions: () => void;
  readonly backlog: BacklogParts;
  readonly suggestions: ReturnType<typeof wireTopicSuggestions>;
  readonly data: DataParts;
}

/**
 * The composition root's start and stop. Importing this file does nothing. `start()` opens the
 * database first, then builds what needs it (the file next to it holds each wiring concern),
 * starts the dashboard (its port first: if taken, no stream session begins), begins or resumes the
 * stream session and connects the platforms. `stop()` shuts down in the documented order.
 */
export class App {
  readonly runtime: Runtime;
  readonly bus: EventBus<DomainEvents>;
  dashboard: DashboardServer | undefined;
  private services: Services | undefined;
  private heartbeat: TimerHandle | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: AppDeps) {
    this.runtime = createRuntime(deps.logger, deps.clock, deps.random);
    this.bus = new EventBus<DomainEvents>((event, err) => this.runtime.health.report(`bus.${event}`, err));
  }

  get config(): Config {
    return this.deps.config;
  }

  get clock(): Clock {
    return this.runtime.clock;
  }

  get health(): Health {
    return this.runtime.health;
  }

  get guard(): Guard {
    return this.runtime.guard;
  }

  private get s(): Services {
    if (!this.services) throw new LecternError('INTERNAL', 'the app is used before start()');
    return this.services;
  }

  get questions(): QuestionLog {
    return this.s.questions;
  }

  get topics(): TopicTracker {
    return this.s.topics;
  }

  get knowledge(): KnowledgeBase {
    return this.s.knowledge;
  }

  /** The topic proposed on the dashboard now, if any. */
  get topicSuggestion(): TopicSuggestion | null {
    return this.s.suggestions.current();
  }

  get backlog(): BacklogParts {
    return this.s.backlog;
  }

  /** Backups and erasing a viewer. */
  get data(): DataParts {
    return this.s.data;
  }

  get bot(): Bot {
    return this.s.bot;
  }

  get router(): CommandRouter {
    return this.s.router;
  }

  get platforms(): readonly ChatPlatform[] {
    return this.services?.platforms ?? [];
  }

  get outboxes(): ReadonlyMap<string, Outbox> {
    return this.services?.outboxes ?? new Map();
  }

  get currentStream(): StreamRow | undefined {
    return this.services?.sessions.opened ? this.services.sessions.current : undefined;
  }

  /** The open store, for read-only views (dashboard exports, tests). */
  storeForReading(): Store {
    return this.s.store;
  }

  statuses(): PlatformStatus[] {
    return this.platforms.map((p) => p.status());
  }

  private build(store: Store): Services {
    const { config } = this.deps;
    const rt = this.runtime;
    const sessions = new StreamSessions({ store, clock: rt.clock, resumeWithinMs: durations(config).resumeWithinMs, logger: rt.logger });
    const topics = new TopicTracker({
      repo: store.topics,
      streamId: () => sessions.current.id,
      clock: rt.clock,
      onChange: (t) => this.bus.emit('topic-changed', t),
    });
    const questions = new QuestionLog({
      repo: store.questions,
      stream: () => sessions.current,
      topics,
      clock: rt.clock,
      maxLength: config.questions.maxLength,
      perViewer: { count: config.questions.perViewer.count, windowMs: durations(config).perViewerQuestionsMs },
      onChange: (question, change) => this.bus.emit('question', { question, change }),
    });
    let backlog: BacklogParts | undefined;
    const knowledge = createKnowledge(config, rt, {
      onNoteSaved: config.topic.followNotes ? (title) => void topics.set(title, 'note') : undefined,
      onArticles: (articles, feedUrl) => backlog?.articles(articles, feedUrl),
    });
    let bot: Bot | undefined;
    const router = new CommandRouter({
      prefix: config.commands.prefix,
      clock: rt.clock,
      logger: rt.logger,
      flood: { count: config.commands.floodLimit.count, windowMs: durations(config).floodWindowMs },
      reply: (event, text, options) => bot!.reply(event, text, options),
      maxLength: (event) => bot!.replyRoom(event),
    });
    bot = new Bot({ router, emit: this.bus.emit.bind(this.bus) as BotEmit, logger: rt.logger, guard: rt.guard });
    registerCommands(router, config, { topics, knowledge, questions });
    const flushQuestions = wireQuestions(config, this.bus, questions, store, rt.guard);
    wireStreamMarkers(config, this.bus, store, rt);
    const suggestions = wireTopicSuggestions({ bus: this.bus, topics, rt, noteFor: (text) => noteFinder(knowledge)(text) });
    backlog = wireBacklog(config, {
      bus: this.bus,
      store,
      rt,
      knowledge: () => knowledge,
      topics,
      stream: () => (sessions.opened ? sessions.current : undefined),
      reply: (event, text) => bot!.reply(event, text) === 'queued',
      room: (event) => bot!.replyRoom(event),
    });
    const stream = () => (sessions.opened ? sessions.current : undefined);
    const data = wireData(config, { bus: this.bus, store, rt, questions, backlog, flushQuestions, stream });
    sessions.onBegin((s) => {
      topics.reset();
      this.bus.emit('stream-begun', s);
    });
    this.bus.on('platform-live', ({ platform, live }) => sessions.onLive(platform, live));
    this.bus.on('platform-title', ({ platform, title }) => sessions.titled(platform, title));
    const { connected, twitchTokens } = createPlatforms(config, rt, store, new TokenStore(dataPaths(config).tokens));
    for (const c of connected) bot.attach(c.platform, c.outbox);
    return {
      store,
      sessions,
      topics,
      questions,
      knowledge,
      router,
      bot,
      twitchTokens,
      flushQuestions,
      backlog,
      suggestions,
      data,
      platforms: connected.map((c) => c.platform),
      outboxes: new Map(connected.map((c) => [c.platform.id, c.outbox])),
    };
  }

  async start(): Promise<void> {
    const { config } = this.deps;
    const log = this.runtime.logger;
    const store = Store.open(config.storage.path);
    let s: Services;
    try {
      s = this.services = this.build(store);
    } catch (err) {
      store.close();
      throw err;
    }
    // The dashboard's port first: if it is taken, nothing has started (no stream session yet).
    if (config.dashboard.enabled && this.deps.dashboardToken) {
      const server = createDashboard({
        config,
        token: this.deps.dashboardToken,
        logger: log,
        bus: this.bus,
        health: this.runtime.health,
        store,
        questions: s.questions,
        topics: s.topics,
        knowledge: s.knowledge,
        statuses: () => this.statuses(),
        stream: () => s.sessions.current,
        now: () => this.clock.now(),
        backlog: s.backlog.backlog,
        noteFor: noteFinder(s.knowledge),
        answered: () => s.backlog.followUps.refresh(),
        suggestions: s.suggestions,
        data: s.data,
      });
      this.dashboard = server;
      const url = await server.start();
      this.deps.onDashboard?.({ url, overlayUrl: server.overlayUrl });
      log.info({ url }, 'dashboard listening');
    }
    const { stream, resumed } = s.sessions.open();
    s.sessions.heartbeat();
    s.backlog.backlog.sync();
    s.backlog.followUps.refresh();
    s.backlog.activity.start();
    s.data.start();
    s.knowledge.start();
    const ks = s.knowledge.stats();
    log.info({ notes: ks.notes, sections: ks.sections, articles: ks.articles, links: ks.links, failedFiles: ks.failedFiles.length }, 'knowledge indexed');
    log.info({ streamId: stream.id, resumed }, resumed ? 'resumed stream session' : 'new stream session');
    this.scheduleHeartbeat();
    if (s.twitchTokens) {
      if (!s.twitchTokens.linked)
        throw new LecternError('PLATFORM_AUTH_FAILED', 'No Twitch account is linked yet: run `lectern auth twitch` (or set TWITCH_OAUTH_TOKEN)');
      await s.twitchTokens.startValidating();
    }
    await Promise.all(s.platforms.map((p) => p.start()));
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.clock.setTimeout(
      this.guard('heartbeat', () => {
        this.services?.sessions.heartbeat();
        this.scheduleHeartbeat();
      }),
      HEARTBEAT_MS,
    );
  }

  /**
   * Shutdown, in order: stop reading chat, let running commands finish (bounded), flush outboxes
   * (bounded), disconnect, close the dashboard, write what waits, end the session, close the
   * database. Safe to call twice, and before or after a failed start.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const log = this.runtime.logger;
      const s = this.services;
      if (s) {
        s.bot.stopReading();
        s.knowledge.stop();
        await s.router.drain(SHUTDOWN_BOUNDS.commands);
        const flushed = await Promise.all([...s.outboxes.values()].map((o) => o.flush(SHUTDOWN_BOUNDS.outboxes)));
        if (flushed.some((ok) => !ok)) log.warn('some replies were not sent before shutdown');
        for (const o of s.outboxes.values()) o.stop();
        await Promise.all(s.platforms.map((p) => p.stop().catch((err: unknown) => this.health.report(`${p.id}.stop`, err))));
      }
      if (this.dashboard) {
        await this.dashboard.closeClients();
        await this.dashboard.stop().catch((err: unknown) => this.health.report('dashboard.stop', err));
      }
      this.clock.clearTimeout(this.heartbeat);
      if (s) {
        s.twitchTokens?.stop();
        s.flushQuestions();
        s.backlog.stop();
        s.suggestions.stop();
        await s.data.stop();
        s.sessions.close();
        s.store.close();
      }
      log.info('stopped');
      log.flush?.();
    })();
    return this.stopping;
  }
}
