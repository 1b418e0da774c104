import {
  createGuard, EventBus, Health, LecternError, systemClock,
  type ChatEvent, type ChatPlatform, type Clock, type Guard, type Logger, type PlatformStatus, type TimerHandle,
} from './core/index.js';
import { dataPaths, type Config } from './config/index.js';
import { Store, type StreamRow } from './store/index.js';
import { CommandRouter, customCommand, helpCommand } from './commands/index.js';
import { Outbox } from './outbox/index.js';
import { Bot, type DomainEvents } from './bot/index.js';
import { TwitchPlatform } from './platforms/twitch/index.js';
import { QuotaPlanner, YouTubeApi, YouTubePlatform } from './platforms/youtube/index.js';
import { TopicTracker, topicCommand } from './topics/index.js';
import { articleCommand, linksCommand, notesCommand, type KnowledgeBase } from './knowledge/index.js';
import { createKnowledge } from './knowledge-loader.js';
import { StreamSessions } from './app/sessions.js';
import { createStreamMarker, Helix } from './platforms/twitch/index.js';
import { TokenStore, TwitchTokens } from './auth/index.js';
import type { DashboardServer } from './dashboard/index.js';
import { createDashboard } from './app/dashboard.js';
import {
  answeredCommand, askCommand, dismissCommand, looksLikeQuestion, QuestionLog, questionsCommand, voteCommand,
} from './questions/index.js';

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
 * Wires the services from explicit dependencies. Importing this file does nothing; `start()`
 * opens the store and connects; `stop()` shuts down in the documented order.
 */
export class App {
  readonly clock: Clock;
  readonly health: Health;
  readonly guard: Guard;
  readonly bus: EventBus<DomainEvents>;
  readonly router: CommandRouter;
  readonly bot: Bot;
  readonly topics: TopicTracker;
  readonly questions: QuestionLog;
  readonly knowledge: KnowledgeBase;
  readonly tokens: TokenStore;
  twitchTokens: TwitchTokens | undefined;
  readonly platforms: ChatPlatform[] = [];
  readonly outboxes = new Map<string, Outbox>();
  private store: Store | undefined;
  dashboard: DashboardServer | undefined;
  private readonly detected: ChatEvent[] = [];
  private sessions: StreamSessions | undefined;
  private heartbeat: TimerHandle | undefined;
  private stopping: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: AppDeps) {
    const { config, logger } = deps;
    this.log = logger;
    this.clock = deps.clock ?? systemClock;
    this.health = new Health(this.clock);
    this.guard = createGuard(logger, this.health);
    this.bus = new EventBus<DomainEvents>((event, err) => this.health.report(`bus.${event}`, err));
    this.router = new CommandRouter({
      prefix: config.commands.prefix,
      clock: this.clock,
      logger,
      flood: { count: config.commands.floodLimit.count, windowMs: config.commands.floodLimit.perSeconds * 1000 },
      reply: (event, text, options) => this.bot.reply(event, text, options),
      maxLength: (event) => this.bot.replyRoom(event),
    });
    this.bot = new Bot({ router: this.router, bus: this.bus, logger, guard: this.guard });
    this.topics = new TopicTracker({
      repo: () => this.requireStore().topics,
      streamId: () => this.requireStream().id,
      clock: this.clock,
      onChange: (t) => this.bus.emit('topic-changed', t),
    });
    this.questions = new QuestionLog({
      repo: () => this.requireStore().questions,
      stream: () => this.requireStream(),
      topics: this.topics,
      clock: this.clock,
      maxLength: config.questions.maxLength,
      perViewer: { count: config.questions.perViewer.count, windowMs: config.questions.perViewer.perMinutes * 60_000 },
      onChange: (question, change) => this.bus.emit('question', { question, change }),
    });
    this.knowledge = createKnowledge(config, {
      clock: this.clock,
      logger,
      guard: this.guard,
      health: this.health,
      ...(config.topic.followNotes ? { onNoteSaved: (title: string) => this.topics.set(title, 'note') } : {}),
    });
    this.registerCommands(config);
    this.wireQuestionDetection(config);
    this.wireModeration();
    this.bus.on('platform-live', ({ platform, live }) => this.sessions?.onLive(platform, live));
    this.wireStreamMarkers(config);
    this.tokens = new TokenStore(dataPaths(config).tokens);
    if (config.twitch) this.addPlatform(this.createTwitch(config));
    if (config.youtube) this.addPlatform(this.createYouTube(config));
  }

  private registerCommands(config: Config): void {
    const topicTitle = () => this.topics.current()?.title;
    const noteFor = (title: string) => this.knowledge.search(title, { limit: 1, kinds: ['section'] })[0];
    this.router.register(helpCommand);
    this.router.register(topicCommand(this.topics, noteFor));
    this.router.register(notesCommand({ knowledge: this.knowledge, topic: topicTitle }));
    this.router.register(articleCommand({ knowledge: this.knowledge, topic: topicTitle }));
    this.router.register(linksCommand({ knowledge: this.knowledge, topic: topicTitle }));
    this.router.register(askCommand(this.questions, config.questions));
    this.router.register(voteCommand(this.questions));
    this.router.register(answeredCommand(this.questions));
    this.router.register(dismissCommand(this.questions));
    this.router.register(questionsCommand(this.questions));
    config.commands.custom.forEach((c, i) => this.router.register(customCommand(c), `commands.custom[${i}]`));
  }

  private wireQuestionDetection(config: Config): void {
    if (!config.questions.detect) return;
    const detect = { prefix: config.commands.prefix, minWords: config.questions.detectMinWords };
    this.bus.on('chat', (event) => {
      if (!looksLikeQuestion(event, detect)) return;
      // Detected questions are never acknowledged, so they are written in batches, one
      // transaction per turn of the event loop, off the path of every chat line.
      this.detected.push(event);
      if (this.detected.length === 1) setImmediate(this.guard('questions.detect', () => this.flushDetected()));
    });
  }

  /**
   * Moderation reaches the question log: a deleted message takes its asker off the question, a
   * ban or timeout takes the viewer's questions and votes of this stream. A full chat clear
   * removes nothing. Detected questions still waiting to be written are written first.
   */
  private wireModeration(): void {
    this.bus.on('chat', (event) => {
      if (!this.store) return;
      const { messageId, userId } = event.target ?? {};
      if (event.kind === 'deletion' && messageId) {
        this.flushDetected();
        this.questions.removeMessage(event.platform, messageId);
      } else if (event.kind === 'ban' && userId) {
        this.flushDetected();
        this.questions.removeViewer(event.platform, userId);
      }
    });
  }

  /** A Twitch stream marker at each topic change, when the channel owner's token is given. */
  private wireStreamMarkers(config: Config): void {
    const markers = config.twitch?.markers;
    const broadcasterToken = config.secrets.twitchBroadcasterToken;
    if (!markers || !broadcasterToken) return;
    this.bus.on('topic-changed', (topic) => {
      void this.guard('twitch.marker', async () => {
        const { positionSeconds } = await createStreamMarker({ ...markers, token: broadcasterToken }, topic.title);
        this.store?.markers.add({ streamId: topic.streamId, topicId: topic.id, createdAt: this.clock.now(), positionSeconds, description: topic.title });
      })();
    });
  }

  private createTwitch(config: Config): TwitchPlatform {
    const t = config.twitch!;
    const envToken = config.secrets.twitchToken;
    // An environment variable wins; else the account linked with `lectern auth twitch`.
    const linked = !envToken && t.auth && t.username
      ? (this.twitchTokens = new TwitchTokens({
          store: this.tokens,
          client: { clientId: t.auth.clientId, ...(config.secrets.twitchClientSecret ? { clientSecret: config.secrets.twitchClientSecret } : {}) },
          endpoints: t.auth,
          clock: this.clock,
          logger: this.log,
          guard: this.guard,
          health: this.health,
        }))
      : undefined;
    const token = envToken ? () => envToken : linked ? () => linked.current() : undefined;
    // Live status, start time, title and the archive video, when Helix can be asked.
    const clientId = t.auth?.clientId ?? t.markers?.clientId ?? t.clientId;
    const helix = clientId && token ? new Helix({ url: t.helixUrl, clientId, token }) : undefined;
    return new TwitchPlatform({
      ...(helix ? { helix } : {}),
      channel: t.channel,
      ...(t.username ? { username: t.username } : {}),
      ...(token ? { token } : {}),
      ...(linked
        ? {
            // A refused login: refresh and retry; if the refresh fails, read anonymously.
            onAuthFailure: () => linked.refresh().then(() => 'retry' as const, () => 'anonymous' as const),
          }
        : {}),
      server: t.server,
      reconnect: { initialMs: t.reconnect.initialSeconds * 1000, maxMs: t.reconnect.maxSeconds * 1000 },
      joinTimeoutMs: t.joinTimeoutSeconds * 1000,
      clock: this.clock,
      logger: this.log,
      guard: this.guard,
      health: this.health,
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
  }

  private flushDetected(): void {
    if (!this.store || this.detected.length === 0) return;
    const batch = this.detected.splice(0);
    this.store.transaction(() => {
      for (const event of batch) this.questions.ask(event, event.text, 'detected');
    });
  }

  private requireStore(): Store {
    if (!this.store) throw new LecternError('INTERNAL', 'store used before start');
    return this.store;
  }

  private requireStream(): StreamRow {
    if (!this.sessions) throw new LecternError('INTERNAL', 'stream session used before start');
    return this.sessions.current;
  }

  private createYouTube(config: Config): YouTubePlatform {
    const y = config.youtube!;
    const s = config.secrets;
    const refreshToken = s.youtubeRefreshToken ?? this.tokens.get('youtube')?.refreshToken;
    const oauth =
      s.youtubeClientId && s.youtubeClientSecret && refreshToken
        ? { clientId: s.youtubeClientId, clientSecret: s.youtubeClientSecret, refreshToken, tokenUrl: y.oauth.tokenUrl }
        : undefined;
    if (!oauth && !s.youtubeApiKey) throw new LecternError('CONFIG_INVALID', 'No YouTube account is linked yet: run `lectern auth youtube` (or set YOUTUBE_REFRESH_TOKEN or YOUTUBE_API_KEY)');
    const api = new YouTubeApi({ apiRoot: y.apiRoot, ...(oauth ? { oauth } : { apiKey: s.youtubeApiKey! }) });
    // With OAuth and a key, a dead refresh token still leaves reading with the key.
    const fallbackApi = oauth && s.youtubeApiKey ? new YouTubeApi({ apiRoot: y.apiRoot, apiKey: s.youtubeApiKey }) : undefined;
    // The store opens in start(); these run only after it.
    const store = () => this.requireStore();
    const planner = new QuotaPlanner({
      dailyUnits: y.quota.dailyUnits,
      // Without OAuth there are no replies, so nothing is held back for them.
      replyReserve: api.canWrite ? y.quota.replyReserve : 0,
      costs: y.quota.costs,
      plannedStreamMs: y.plannedStreamHours * 3_600_000,
      clock: this.clock,
      ledger: {
        get: (day) => store().quota.get('youtube', day),
        add: (day, units, replyUnits) => store().quota.add('youtube', day, units, replyUnits),
      },
    });
    return new YouTubePlatform({
      source: { ...(y.videoId ? { videoId: y.videoId } : {}), ...(y.liveChatId ? { liveChatId: y.liveChatId } : {}), ...(y.broadcast ? { broadcast: y.broadcast } : {}), ...(y.channelId ? { channelId: y.channelId } : {}) },
      transport: y.transport,
      waitForLiveMs: y.waitForLiveSeconds * 1000,
      api,
      ...(fallbackApi ? { fallbackApi } : {}),
      planner,
      state: {
        get: (key) => store().platformState.get('youtube', key),
        set: (key, value) => store().platformState.set('youtube', key, value, this.clock.now()),
      },
      clock: this.clock,
      logger: this.log,
      guard: this.guard,
      health: this.health,
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
  }

  private addPlatform(platform: ChatPlatform): void {
    const outbox = new Outbox({
      platform,
      clock: this.clock,
      logger: this.log,
      guard: this.guard,
      health: this.health,
      maxDelayMs: this.deps.config.outbox.maxDelaySeconds * 1000,
      maxQueue: this.deps.config.outbox.maxQueue,
      // Loaded when the store is open (outboxes are built before it, used after it).
      history: {
        load: () => JSON.parse(this.store?.platformState.get(platform.id, 'sendTimes') ?? '[]') as number[],
        save: (times) => this.store?.platformState.set(platform.id, 'sendTimes', JSON.stringify(times), this.clock.now()),
      },
    });
    this.platforms.push(platform);
    this.outboxes.set(platform.id, outbox);
    this.bot.attach(platform, outbox);
  }

  get config(): Config {
    return this.deps.config;
  }

  /** The open store, for read-only views (dashboard exports). */
  storeForReading(): Store {
    return this.requireStore();
  }

  private async startDashboard(): Promise<void> {
    const d = this.deps.config.dashboard;
    if (!d.enabled || !this.deps.dashboardToken) return;
    const server = createDashboard({
      config: this.deps.config, token: this.deps.dashboardToken, logger: this.log, bus: this.bus, health: this.health, store: this.requireStore(),
      questions: this.questions, topics: this.topics, knowledge: this.knowledge, statuses: () => this.statuses(), stream: () => this.requireStream(), now: () => this.clock.now(),
    });
    this.dashboard = server;
    const url = await server.start();
    this.deps.onDashboard?.({ url, overlayUrl: server.overlayUrl });
    this.log.info({ url }, 'dashboard listening');
  }

  get currentStream(): StreamRow | undefined {
    return this.sessions ? this.sessions.current : undefined;
  }

  async start(): Promise<void> {
    const { config } = this.deps;
    this.store = Store.open(config.storage.path);
    // The dashboard's port first: if it is taken, nothing has started (no stream session yet).
    await this.startDashboard();
    this.sessions = new StreamSessions({ store: this.store, clock: this.clock, resumeWithinMs: config.stream.resumeWithinMinutes * 60_000, logger: this.log });
    this.sessions.onBegin((s) => {
      this.topics.reset();
      this.bus.emit('stream-begun', s);
    });
    const { stream, resumed } = this.sessions.open();
    this.sessions.heartbeat();
    for (const o of this.outboxes.values()) o.restoreHistory();
    this.topics.reset();
    this.knowledge.start();
    const ks = this.knowledge.stats();
    this.log.info({ notes: ks.notes, sections: ks.sections, articles: ks.articles, links: ks.links, failedFiles: ks.failedFiles.length }, 'knowledge indexed');
    this.log.info({ streamId: stream.id, resumed }, resumed ? 'resumed stream session' : 'new stream session');
    this.scheduleHeartbeat();
    if (this.twitchTokens) {
      if (!this.twitchTokens.linked) throw new LecternError('PLATFORM_AUTH_FAILED', 'No Twitch account is linked yet: run `lectern auth twitch` (or set TWITCH_OAUTH_TOKEN)');
      await this.twitchTokens.startValidating();
    }
    await Promise.all(this.platforms.map((p) => p.start()));
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.clock.setTimeout(
      this.guard('heartbeat', () => {
        this.sessions?.heartbeat();
        this.scheduleHeartbeat();
      }),
      HEARTBEAT_MS,
    );
  }

  statuses(): PlatformStatus[] {
    return this.platforms.map((p) => p.status());
  }

  /**
   * Shutdown, in order: stop reading chat, let running commands finish (bounded), flush outboxes
   * (bounded), disconnect, close the store. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.bot.stopReading();
      this.knowledge.stop();
      await this.router.drain(SHUTDOWN_BOUNDS.commands);
      const flushed = await Promise.all([...this.outboxes.values()].map((o) => o.flush(SHUTDOWN_BOUNDS.outboxes)));
      if (flushed.some((ok) => !ok)) this.log.warn('some replies were not sent before shutdown');
      for (const o of this.outboxes.values()) o.stop();
      await Promise.all(this.platforms.map((p) => p.stop().catch((err: unknown) => this.health.report(`${p.id}.stop`, err))));
      if (this.dashboard) {
        await this.dashboard.closeClients();
        await this.dashboard.stop().catch((err: unknown) => this.health.report('dashboard.stop', err));
      }
      this.clock.clearTimeout(this.heartbeat);
      this.twitchTokens?.stop();
      this.flushDetected();
      if (this.store) {
        this.sessions?.close();
        this.store.close();
      }
      this.log.info('stopped');
      this.log.flush?.();
    })();
    return this.stopping;
  }
}
