import type { ChatModerator, EventBus, PlatformId } from '../core/index.js';
import { dataPaths, durations, type Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { CommandRouter, type CommandBook } from '../commands/index.js';
import { Bot, type BotEmit } from '../bot/index.js';
import { TopicTracker } from '../topics/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { QuestionLog } from '../questions/index.js';
import { TokenStore } from '../auth/index.js';
import type { LinkGuard } from '../moderation/index.js';
import { commandVariables, registerCommands } from './commands.js';
import type { DomainEvents } from './events.js';
import { createKnowledge } from './knowledge.js';
import { createLinkGuard } from './links.js';
import { wireStreamMarkers } from './markers.js';
import { noteFinder, wireBacklog, type BacklogParts } from './backlog.js';
import { wireTopicSuggestions } from './topic-suggestions.js';
import { createPlatforms, type Connected } from './platforms.js';
import { wireQuestions } from './questions.js';
import type { Runtime } from './runtime.js';
import { StreamSessions } from './sessions.js';
import { wireTimers, type TimerParts } from './timers.js';
import { wireData, type DataParts } from './data.js';

/** What runs once the database is open. The platforms change when a reload changes their settings. */
export interface Services {
  readonly store: Store;
  readonly sessions: StreamSessions;
  readonly topics: TopicTracker;
  readonly questions: QuestionLog;
  readonly knowledge: KnowledgeBase;
  readonly router: CommandRouter;
  readonly bot: Bot;
  /** Each connected platform with its outbox, moderator and (Twitch) linked account. */
  readonly connected: Map<PlatformId, Connected>;
  readonly moderators: Map<PlatformId, ChatModerator>;
  readonly tokens: TokenStore;
  readonly flushQuestions: () => void;
  readonly backlog: BacklogParts;
  readonly suggestions: ReturnType<typeof wireTopicSuggestions>;
  readonly commands: CommandBook;
  readonly timers: TimerParts;
  readonly links: LinkGuard;
  readonly data: DataParts;
}

/**
 * Builds what needs the database, in order; each wiring concern lives in its own file next to
 * this one. `live` is the config now: the parts a reload changes at once read it when they act.
 */
export function buildServices(config: Config, live: () => Config, rt: Runtime, bus: EventBus<DomainEvents>, store: Store): Services {
  const sessions = new StreamSessions({ store, clock: rt.clock, resumeWithinMs: durations(config).resumeWithinMs, logger: rt.logger });
  const topics = new TopicTracker({
    repo: store.topics,
    streamId: () => sessions.current.id,
    clock: rt.clock,
    onChange: (t) => bus.emit('topic-changed', t),
  });
  const questions = new QuestionLog({
    repo: store.questions,
    stream: () => sessions.current,
    topics,
    clock: rt.clock,
    maxLength: config.questions.maxLength,
    perViewer: { count: config.questions.perViewer.count, windowMs: durations(config).perViewerQuestionsMs },
    onChange: (question, change) => bus.emit('question', { question, change }),
  });
  let backlog: BacklogParts | undefined;
  const knowledge = createKnowledge(config, rt, {
    onNoteSaved: (title) => {
      if (live().topic.followNotes) void topics.set(title, 'note');
    },
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
  bot = new Bot({ router, emit: bus.emit.bind(bus) as BotEmit, logger: rt.logger, guard: rt.guard });
  const moderators = new Map<PlatformId, ChatModerator>();
  const links = createLinkGuard({ live, rt, bus, bot: () => bot!, moderators });
  bot.intercept((event) => links.check(event));
  const changed = () => bus.emit('bot-config', { change: 'commands' });
  const commands = registerCommands(router, config, { topics, knowledge, questions, store, rt, sessions, links, live, changed });
  const vars = commandVariables({ topics, knowledge, sessions, rt, live });
  const timers = wireTimers(config, { rt, bus, store, bot: () => bot!, sessions, commands, vars });
  const flushQuestions = wireQuestions(live, bus, questions, store, rt.guard);
  wireStreamMarkers(config, bus, store, rt);
  const suggestions = wireTopicSuggestions({ bus, topics, rt, noteFor: (text) => noteFinder(knowledge)(text) });
  backlog = wireBacklog(config, {
    bus,
    store,
    rt,
    knowledge: () => knowledge,
    topics,
    stream: () => (sessions.opened ? sessions.current : undefined),
    reply: (event, text) => bot!.reply(event, text) === 'queued',
    room: (event) => bot!.replyRoom(event),
  });
  const stream = () => (sessions.opened ? sessions.current : undefined);
  const data = wireData(config, { bus, store, rt, questions, backlog, flushQuestions, stream });
  sessions.onBegin((s) => {
    topics.reset();
    bus.emit('stream-begun', s);
  });
  bus.on('platform-live', ({ platform, live: info }) => sessions.onLive(platform, info));
  bus.on('platform-title', ({ platform, title }) => sessions.titled(platform, title));
  const tokens = new TokenStore(dataPaths(config).tokens);
  const connected = new Map(createPlatforms(config, rt, store, tokens).map((c) => [c.platform.id, c] as const));
  for (const c of connected.values()) {
    bot.attach(c.platform, c.outbox);
    moderators.set(c.platform.id, c.moderator);
  }
  return {
    store,
    sessions,
    topics,
    questions,
    knowledge,
    router,
    bot,
    connected,
    moderators,
    tokens,
    flushQuestions,
    backlog,
    suggestions,
    commands,
    timers,
    links,
    data,
  };
}
