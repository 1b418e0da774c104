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
import { formatProblems, type Config, type ConfigProblem } from '../config/index.js';
import { Store, type StreamRow } from '../store/index.js';
import type { CommandBook, CommandRouter } from '../commands/index.js';
import type { Outbox } from '../outbox/index.js';
import type { Bot } from '../bot/index.js';
import type { TopicTracker } from '../topics/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { QuestionLog } from '../questions/index.js';
import type { LinkGuard } from '../moderation/index.js';
import type { DashboardServer } from '../dashboard/index.js';
import { commandsApi } from './commands-api.js';
import { createDashboard } from './dashboard.js';
import type { DomainEvents } from './events.js';
import { noteFinder, type BacklogParts } from './backlog.js';
import type { TopicSuggestion } from './topic-suggestions.js';
import type { DataParts } from './data.js';
import { applyConfig, reloadProblems, type ReloadReport } from './reload.js';
import { createRuntime, type Runtime } from './runtime.js';
import { buildServices, type Services } from './services.js';
import { claimDatabase } from './single-service.js';
import type { TimerParts } from './timers.js';

/** The last config change: what it changed, or every problem of a refused one (shown on the dashboard). */
export interface ConfigState {
  readonly at: number | null;
  readonly changed: readonly string[];
  readonly restart: readonly string[];
  readonly problems: readonly ConfigProblem[];
}

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
  private current: Config;
  private reloading: Promise<unknown> = Promise.resolve();
  configState: ConfigState = { at: null, changed: [], restart: [], problems: [] };

  constructor(private readonly deps: AppDeps) {
    this.current = deps.config;
    this.runtime = createRuntime(deps.logger, deps.clock, deps.random);
    this.bus = new EventBus<DomainEvents>((event, err) => this.runtime.health.report(`bus.${event}`, err));
    // A platform that connects again has its connection problems behind it: they leave the list.
    this.bus.on('platform-status', (s) => {
      if (s.state === 'connected') this.runtime.health.resolve(s.platform);
    });
  }

  /** The config now: the file's at start, then each valid edit's. */
  get config(): Config {
    return this.current;
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

  /** Backups and erasing a viewer. */
  get data(): DataParts {
    return this.s.data;
  }

  get backlog(): BacklogParts {
    return this.s.backlog;
  }

  get bot(): Bot {
    return this.s.bot;
  }

  get router(): CommandRouter {
    return this.s.router;
  }

  /** The channel's own commands (config and chat-added). */
  get commands(): CommandBook {
    return this.s.commands;
  }

  get timers(): TimerParts {
    return this.s.timers;
  }

  get links(): LinkGuard {
    return this.s.links;
  }

  get platforms(): readonly ChatPlatform[] {
    return [...(this.services?.connected.values() ?? [])].map((c) => c.platform);
  }

  get outboxes(): ReadonlyMap<string, Outbox> {
    return new Map([...(this.services?.connected.values() ?? [])].map((c) => [c.platform.id, c.outbox]));
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

  /**
   * A new config (the file was edited, or SIGHUP): checked as the running bot sees it, then applied
   * (`reload.ts`). A refused one changes nothing; its problems are logged and on the dashboard.
   * Reloads run one at a time.
   */
  reload(next: Config): Promise<ReloadReport> {
    const run = this.reloading.then(async (): Promise<ReloadReport> => {
      const s = this.s;
      const problems = reloadProblems(next, s);
      if (problems.length) {
        this.rejectConfig(problems);
        return { ok: false, changed: [], reconnected: [], restart: [], problems };
      }
      const old = this.current;
      this.current = next;
      const report = await applyConfig(old, next, s, this.runtime);
      const wasRefused = this.configState.problems.length > 0;
      this.configState = { at: this.clock.now(), changed: report.changed, restart: report.restart, problems: [] };
      const log = this.runtime.logger;
      // A valid file after a refused one: the refusal is over.
      this.health.resolve('config');
      if (wasRefused) log.info('the config file is valid again');
      if (report.changed.length === 0) log.info('config file read again: nothing changed');
      else log.info({ changed: report.changed, reconnected: report.reconnected, needsRestart: report.restart }, 'config reloaded');
      if (report.restart.length) log.warn({ keys: report.restart }, 'these config changes apply at the next restart');
      this.bus.emit('bot-config', { change: 'config' });
      return report;
    });
    this.reloading = run.catch(() => undefined);
    return run;
  }

  /** A config edit that is not valid: the running config stays; every problem is logged and shown. */
  rejectConfig(problems: readonly ConfigProblem[]): void {
    this.configState = { ...this.configState, at: this.clock.now(), problems };
    const log = this.runtime.logger;
    for (const p of problems) log.error({ path: p.path }, `config edit refused: ${p.path}: ${p.message}`);
    this.health.report('config', new LecternError('CONFIG_INVALID', `The edited config was refused (the running one stays):\n${formatProblems(problems)}`));
    this.bus.emit('bot-config', { change: 'config' });
  }

  async start(): Promise<void> {
    const config = this.current;
    const log = this.runtime.logger;
    const store = Store.open(config.storage.path);
    let s: Services;
    try {
      // Another service on this database: nothing starts (no dashboard, no session, no chat).
      claimDatabase(store, this.clock.now());
      s = this.services = buildServices(config, () => this.current, this.runtime, this.bus, store);
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
        bot: commandsApi({
          live: () => this.current,
          commands: s.commands,
          timers: s.timers,
          links: s.links,
          moderators: s.moderators,
          configState: () => this.configState,
        }),
      });
      this.dashboard = server;
      const url = await server.start();
      // Where it listens, for `lectern dashboard-url` (a port edited since applies at the next restart).
      store.platformState.set('lectern', 'dashboard', url, this.clock.now());
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
    for (const f of ks.failedFiles) log.warn({ file: f.file }, `notes not indexed: ${f.file}: ${f.error}`);
    log.info({ streamId: stream.id, resumed }, resumed ? 'resumed stream session' : 'new stream session');
    this.scheduleHeartbeat();
    const linked = s.connected.get('twitch')?.linked;
    if (linked) {
      if (!linked.linked)
        throw new LecternError('PLATFORM_AUTH_FAILED', 'No Twitch account is linked yet: run `lectern auth twitch` (or set TWITCH_OAUTH_TOKEN)');
      await linked.startValidating();
    }
    s.timers.timers.set(s.timers.book.all());
    s.timers.timers.start();
    await Promise.all([...s.connected.values()].map((c) => c.platform.start()));
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
        s.timers.timers.stop();
        await s.router.drain(SHUTDOWN_BOUNDS.commands);
        const connected = [...s.connected.values()];
        const flushed = await Promise.all(connected.map((c) => c.outbox.flush(SHUTDOWN_BOUNDS.outboxes)));
        if (flushed.some((ok) => !ok)) log.warn('some replies were not sent before shutdown');
        for (const c of connected) c.outbox.stop();
        await Promise.all(connected.map((c) => c.platform.stop().catch((err: unknown) => this.health.report(`${c.platform.id}.stop`, err))));
      }
      if (this.dashboard) {
        await this.dashboard.closeClients();
        await this.dashboard.stop().catch((err: unknown) => this.health.report('dashboard.stop', err));
      }
      this.clock.clearTimeout(this.heartbeat);
      if (s) {
        s.connected.get('twitch')?.linked?.stop();
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
