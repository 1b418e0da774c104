import { LecternError } from '../core/index.js';
import type { Config } from '../config/index.js';
import {
  CommandBook,
  formatDuration,
  helpCommand,
  manageCommands,
  RESPONSE_LIMITS,
  type CommandRouter,
  type CommandStore,
  type CommandVariables,
} from '../commands/index.js';
import { articleCommand, linksCommand, notesCommand, type KnowledgeBase } from '../knowledge/index.js';
import { permitCommand, type LinkGuard } from '../moderation/index.js';
import { answeredCommand, askCommand, dismissCommand, questionsCommand, voteCommand, type QuestionLog } from '../questions/index.js';
import type { Store } from '../store/index.js';
import { topicCommand, type TopicTracker } from '../topics/index.js';
import type { Runtime } from './runtime.js';
import type { StreamSessions } from './sessions.js';

export interface CommandDeps {
  readonly topics: TopicTracker;
  readonly knowledge: KnowledgeBase;
  readonly questions: QuestionLog;
  readonly store: Store;
  readonly rt: Runtime;
  readonly sessions: StreamSessions;
  readonly links: LinkGuard;
  /** After every change of the channel's commands. */
  readonly changed: () => void;
  /** The config now (a reload replaces it). */
  readonly live: () => Config;
}

/** The store's chat_commands and counters as the book's `CommandStore`. */
export function commandStore(store: Store): CommandStore {
  const r = store.commands;
  return {
    list: () => r.list().map((c) => ({ ...c, permission: c.permission as 'everyone' })),
    save: (c) => r.save(c),
    remove: (name) => r.remove(name),
    increment: (name) => r.increment(name),
    count: (name) => r.count(name),
  };
}

/** `{uptime}`, `{topic}`, `{notes}`, `{random}`: from the session, the topic and the notes, never from chat. */
export function commandVariables(d: Pick<CommandDeps, 'topics' | 'knowledge' | 'sessions' | 'rt' | 'live'>): CommandVariables {
  const topic = () => d.topics.current()?.title;
  return {
    uptime: () => (d.sessions.opened ? formatDuration(d.rt.clock.now() - d.sessions.current.startedAt) : '0 min'),
    topic: () => topic() ?? 'no topic yet',
    notes: () => {
      const t = topic();
      const hit = t ? d.knowledge.search(t, { limit: 1, kinds: ['section'] })[0] : undefined;
      return hit?.url ?? d.live().knowledge.notes[0]?.baseUrl ?? 'no notes yet';
    },
    random: () => (d.rt.random ?? Math.random)(),
  };
}

/**
 * The built-in commands, then the channel's own: the config file's and those added from chat or
 * the dashboard (a `CommandBook`, looked up after the built-ins). A config command named like a
 * built-in, or with an unknown variable, is a config error.
 */
export function registerCommands(router: CommandRouter, config: Config, d: CommandDeps): CommandBook {
  const topicTitle = () => d.topics.current()?.title;
  const noteFor = (title: string) => d.knowledge.search(title, { limit: 1, kinds: ['section'] })[0];
  router.register(helpCommand);
  router.register(topicCommand(d.topics, noteFor));
  router.register(notesCommand({ knowledge: d.knowledge, topic: topicTitle }));
  router.register(articleCommand({ knowledge: d.knowledge, topic: topicTitle }));
  router.register(linksCommand({ knowledge: d.knowledge, topic: topicTitle }));
  // The reply's numbers follow a config reload.
  const q = () => d.live().questions;
  router.register(
    askCommand(d.questions, {
      get maxLength() {
        return q().maxLength;
      },
      get perViewer() {
        return q().perViewer;
      },
    }),
  );
  router.register(voteCommand(d.questions));
  router.register(answeredCommand(d.questions));
  router.register(dismissCommand(d.questions));
  router.register(questionsCommand(d.questions));
  router.register(permitCommand(d.links, () => d.live().moderation.links));
  const book = new CommandBook({
    store: commandStore(d.store),
    clock: d.rt.clock,
    builtIn: (name) => router.isBuiltIn(name),
    vars: commandVariables(d),
    prefix: () => d.live().commands.prefix,
    changed: d.changed,
  });
  for (const c of manageCommands(book, (platform) => RESPONSE_LIMITS[platform])) router.register(c);
  const problems = book.configProblems(config.commands.custom);
  if (problems[0]) throw new LecternError('CONFIG_INVALID', `${problems[0].path}: ${problems[0].message}`, { details: { problems } });
  book.setConfig(config.commands.custom);
  router.addSource(book);
  return book;
}
