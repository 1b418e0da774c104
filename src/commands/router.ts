import { hasPermission, isModeratorOrAbove, LecternError, toError, type ChatEvent, type Clock, type Logger } from '../core/index.js';
import { Cooldowns, FloodGate } from './cooldowns.js';
import { parseCommand, type ParsedCommand } from './parse.js';
import type { CommandContext, CommandDefinition, Outcome, ReplyOptions } from './types.js';

export interface RouterOptions {
  readonly prefix: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly flood: { readonly count: number; readonly windowMs: number };
  /** Where answers go: the bot wires this to the platform's outbox. */
  readonly reply: (event: ChatEvent, text: string, options?: ReplyOptions) => void;
  /** Room for one answer to this event (platform limit minus the mention); 500 if unknown. */
  readonly maxLength?: (event: ChatEvent) => number;
}

type Resolved = { parsed: ParsedCommand; command: CommandDefinition };

/** Commands that change while the bot runs (the channel's own): looked up after the built-ins. */
export interface CommandSource {
  get(name: string): CommandDefinition | undefined;
  list(): readonly CommandDefinition[];
}

// Ordinary chat ends here; shared outcomes keep the hot path from allocating per line.
const NOT_CHAT: Outcome = Object.freeze({ status: 'ignored', code: 'not-chat' });
const NOT_A_COMMAND: Outcome = Object.freeze({ status: 'ignored', code: 'not-a-command' });
const UNKNOWN_COMMAND: Outcome = Object.freeze({ status: 'ignored', code: 'unknown-command' });

/**
 * Runs each chat message through named stages: parse, resolve, preconditions (flood, permission,
 * cooldowns), run, record. Expected refusals are outcomes, not errors; a command that throws is
 * a `failed` outcome and never takes the bot down.
 */
export class CommandRouter {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly commands: CommandDefinition[] = [];
  private readonly cooldowns = new Cooldowns();
  private flood: FloodGate;
  private readonly outcomeListeners: Array<(o: Outcome, e: ChatEvent) => void> = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly sources: CommandSource[] = [];
  private prefix: string;

  constructor(private readonly opts: RouterOptions) {
    this.prefix = opts.prefix;
    this.flood = new FloodGate(opts.flood.count, opts.flood.windowMs);
  }

  /** A config reload: the prefix and the flood limit apply to the next line. */
  configure(o: { readonly prefix: string; readonly flood: { readonly count: number; readonly windowMs: number } }): void {
    this.prefix = o.prefix;
    this.flood = new FloodGate(o.flood.count, o.flood.windowMs);
  }

  /** Adds commands looked up after the built-ins (a built-in name always wins). */
  addSource(source: CommandSource): void {
    this.sources.push(source);
  }

  /** Whether a name or alias is a built-in command's. */
  isBuiltIn(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Registers a command; a name or alias already taken is a configuration error. */
  register(command: CommandDefinition, configPath?: string): void {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const key = name.toLowerCase();
      if (this.byName.has(key)) {
        throw new LecternError('CONFIG_INVALID', `${configPath ?? 'command'}: "${key}" is already a command or alias`, {
          details: { path: configPath, name: key },
        });
      }
      this.byName.set(key, command);
    }
    this.commands.push(command);
  }

  /** The built-ins, then the sources' commands. */
  list(): readonly CommandDefinition[] {
    return this.sources.length ? [...this.commands, ...this.sources.flatMap((s) => s.list())] : this.commands;
  }

  onOutcome(listener: (o: Outcome, e: ChatEvent) => void): void {
    this.outcomeListeners.push(listener);
  }

  /** Resolves when the commands running now have finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let t: TimerHandleLike | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((r) => (t = this.opts.clock.setTimeout(r, timeoutMs)))]);
    this.opts.clock.clearTimeout(t);
  }

  handle(event: ChatEvent): Outcome | Promise<Outcome> {
    const resolved = this.resolve(event);
    if ('status' in resolved) return this.record(resolved, event);
    const denied = this.preconditions(resolved, event);
    if (denied) return this.record(denied, event);
    return this.run(resolved, event);
  }

  private resolve(event: ChatEvent): Resolved | Outcome {
    if (event.kind !== 'message' && event.kind !== 'paid-message') return NOT_CHAT;
    const parsed = parseCommand(event.text, this.prefix);
    if (!parsed) return NOT_A_COMMAND;
    const command = this.byName.get(parsed.name) ?? this.fromSources(parsed.name);
    if (!command) return UNKNOWN_COMMAND;
    return { parsed, command };
  }

  private fromSources(name: string): CommandDefinition | undefined {
    for (const s of this.sources) {
      const c = s.get(name);
      if (c) return c;
    }
    return undefined;
  }

  private preconditions({ command }: Resolved, event: ChatEvent): Outcome | null {
    const now = this.opts.clock.now();
    const user = `${event.platform}:${event.author.id}`;
    const staff = isModeratorOrAbove(event.author.roles);
    if (!staff && !this.flood.allow(user, now)) return { status: 'denied', code: 'flood', command: command.name };
    if (!hasPermission(event.author.roles, command.permission ?? 'everyone')) return { status: 'denied', code: 'permission', command: command.name };
    // Moderators and the broadcaster are never held back by cooldowns: they run the show.
    if (!staff) {
      if (command.globalCooldownMs && this.cooldowns.globalRemaining(command.name, command.globalCooldownMs, now) > 0) {
        return { status: 'denied', code: 'global-cooldown', command: command.name };
      }
      if (command.userCooldownMs && this.cooldowns.userRemaining(command.name, user, command.userCooldownMs, now) > 0) {
        return { status: 'denied', code: 'user-cooldown', command: command.name };
      }
    }
    return null;
  }

  private run({ parsed, command }: Resolved, event: ChatEvent): Outcome | Promise<Outcome> {
    const now = this.opts.clock.now();
    this.cooldowns.stamp(command.name, `${event.platform}:${event.author.id}`, now);
    let log: Logger | undefined;
    const logger = this.opts.logger;
    const ctx: CommandContext = {
      event,
      invokedAs: parsed.name,
      args: parsed.args,
      argText: parsed.argText,
      prefix: this.prefix,
      now,
      maxLength: this.opts.maxLength?.(event) ?? 500,
      // A child logger costs more than most commands: made only when a command logs.
      get log() {
        return (log ??= logger.child({ command: command.name, platform: event.platform, messageId: event.id }));
      },
      reply: (text, options) => this.opts.reply(event, text, options),
      available: () => this.list().filter((c) => hasPermission(event.author.roles, c.permission ?? 'everyone')),
    };
    const ran: Outcome = { status: 'ran', command: command.name };
    const failed = (err: unknown): Outcome => ({ status: 'failed', command: command.name, error: toError(err) });
    try {
      const result = command.run(ctx);
      if (!(result instanceof Promise)) return this.record(ran, event);
      const p = result.then(
        () => this.record(ran, event),
        (err) => this.record(failed(err), event),
      );
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
      return p;
    } catch (err) {
      return this.record(failed(err), event);
    }
  }

  private record(outcome: Outcome, event: ChatEvent): Outcome {
    if (outcome.status === 'failed') {
      this.opts.logger.error({ command: outcome.command, platform: event.platform, messageId: event.id, err: outcome.error }, 'command failed');
    }
    for (const l of this.outcomeListeners) l(outcome, event);
    return outcome;
  }
}

type TimerHandleLike = ReturnType<Clock['setTimeout']>;
