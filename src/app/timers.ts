import { LecternError, type EventBus } from '../core/index.js';
import type { Config } from '../config/index.js';
import { expand, type CommandBook, type CommandVariables } from '../commands/index.js';
import { TimerBook, Timers, type TimerPlatforms, type TimerStore } from '../timers/index.js';
import type { Store } from '../store/index.js';
import type { Bot } from '../bot/index.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';
import type { StreamSessions } from './sessions.js';

export interface TimerParts {
  readonly book: TimerBook;
  readonly timers: Timers;
}

/** The store's timers table as the book's `TimerStore`. */
function timerStore(store: Store): TimerStore {
  const r = store.commands;
  return {
    list: () =>
      r.timers().map((t) => ({
        name: t.name,
        ...(t.message !== null ? { message: t.message } : {}),
        ...(t.command !== null ? { command: t.command } : {}),
        everyMinutes: t.everyMinutes,
        minLines: t.minLines,
        platforms: t.platforms as TimerPlatforms,
        enabled: t.enabled,
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
      })),
    save: (t) => r.saveTimer({ ...t, message: t.message ?? null, command: t.command ?? null }),
    remove: (name) => r.removeTimer(name),
  };
}

/**
 * Timers in the running service: the config's and the dashboard's, counting viewers' chat lines
 * per platform, sending through the bot's outboxes (so YouTube's quota planner decides, and a
 * read-only platform gets nothing) while the stream session is active. A timer's `{user}` is
 * everyone; a command timer sends that command's response.
 */
export function wireTimers(
  config: Config,
  d: {
    readonly rt: Runtime;
    readonly bus: EventBus<DomainEvents>;
    readonly store: Store;
    readonly bot: () => Bot;
    readonly sessions: StreamSessions;
    readonly commands: CommandBook;
    readonly vars: CommandVariables;
  },
): TimerParts {
  const { rt, store } = d;
  const timers = new Timers({
    clock: rt.clock,
    guard: rt.guard,
    logger: rt.logger.child({ component: 'timers' }),
    host: {
      active: () => d.sessions.isOpen,
      platforms: () => d.bot().platformIds(),
      canSend: (p) => d.bot().canSend(p),
      send: (p, text) => d.bot().announce(p, text),
      text: (spec) =>
        spec.command !== undefined
          ? d.commands.text(spec.command)
          : expand(spec.message ?? '', { user: 'everyone', count: () => store.commands.increment(`timer:${spec.name}`), ...bind(d.vars) }),
    },
  });
  const book = new TimerBook({
    store: timerStore(store),
    clock: rt.clock,
    hasCommand: (name) => d.commands.has(name),
    changed: (all) => {
      timers.set(all);
      d.bus.emit('bot-config', { change: 'timers' });
    },
  });
  const problems = book.configProblems(config.timers);
  if (problems[0]) throw new LecternError('CONFIG_INVALID', `${problems[0].path}: ${problems[0].message}`, { details: { problems } });
  book.setConfig(config.timers);
  d.bus.on('chat', (e) => {
    if ((e.kind === 'message' || e.kind === 'paid-message') && !e.sharedFrom) timers.line(e.platform);
  });
  return { book, timers };
}

const bind = (v: CommandVariables) => ({ uptime: () => v.uptime(), topic: () => v.topic(), notes: () => v.notes(), random: () => v.random() });
