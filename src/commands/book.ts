import { addressOf, type ChatEvent, type Clock, type Permission } from '../core/index.js';
import { customCommand, type CustomCommandConfig } from './custom.js';
import type { CommandSource } from './router.js';
import { expand, templateProblem } from './template.js';
import type { CommandDefinition } from './types.js';

export const PERMISSIONS: readonly Permission[] = ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'];
/** A command's name or alias, lower-case, without the prefix (as the parser reads them). */
export const COMMAND_NAME = /^[a-z0-9_+-]{1,32}$/;
/**
 * The longest response a chat-added command may have, by where it was added: the platform's
 * message limit less room for the viewer's address. The dashboard allows the longest of the
 * configured platforms; a response longer than another platform allows is split there.
 */
export const RESPONSE_LIMITS = { twitch: 450, youtube: 150 } as const;
export const MAX_ALIASES = 5;
export const MAX_COOLDOWN_SECONDS = 86_400;

/** A chat-added command as it is kept. */
export interface StoredCommand extends CustomCommandConfig {
  readonly createdAt: number;
  readonly updatedAt: number;
  /** `dashboard`, or the platform a moderator typed it on. */
  readonly updatedBy: string;
}

/** Where chat-added commands and every command's use counter are kept (the store). */
export interface CommandStore {
  list(): readonly StoredCommand[];
  save(c: StoredCommand): void;
  remove(name: string): boolean;
  /** One more use; the new count. */
  increment(name: string): number;
  count(name: string): number;
}

/** Values for `{uptime}`, `{topic}`, `{notes}` and `{random …}`: the bot's own state. */
export interface CommandVariables {
  uptime(): string;
  topic(): string;
  notes(): string;
  random(): number;
}

export interface CommandView extends CustomCommandConfig {
  readonly source: 'config' | 'chat';
  readonly count: number;
  readonly updatedAt?: number;
  readonly updatedBy?: string;
  /** A chat-added command a config command of this name or alias hides (the config wins). */
  readonly hiddenBy?: string;
}

/** What a moderator (or the dashboard) asks for; missing fields keep their value on edit. */
export interface CommandInput {
  readonly name: string;
  readonly response?: string;
  readonly aliases?: readonly string[];
  readonly permission?: Permission;
  readonly globalCooldown?: number;
  readonly userCooldown?: number;
}

export type BookError = 'invalid' | 'not-found' | 'taken' | 'read-only' | 'too-long' | 'variable';
export type BookResult = { readonly ok: true; readonly command: CommandView } | { readonly ok: false; readonly code: BookError; readonly message: string };

const fail = (code: BookError, message: string): BookResult => ({ ok: false, code, message });

/**
 * The channel's own commands: the config file's (read-only here; they win on a name clash) and
 * those added from chat or the dashboard (kept in the store, live at once). A router source, so a
 * built-in name always wins over both. Every change is validated the same way wherever it comes
 * from; a refusal is a value with a sentence for the moderator, and nothing is stored.
 */
export class CommandBook implements CommandSource {
  private config = new Map<string, { cfg: CustomCommandConfig; def: CommandDefinition }>();
  private configNames = new Map<string, string>();
  private readonly stored = new Map<string, { cfg: StoredCommand; def: CommandDefinition }>();
  private storedNames = new Map<string, string>();

  constructor(
    private readonly opts: {
      readonly store: CommandStore;
      readonly clock: Clock;
      /** Whether a name or alias belongs to a built-in command. */
      readonly builtIn: (name: string) => boolean;
      readonly vars?: CommandVariables;
      /** The command prefix now, for the sentences a moderator reads. */
      readonly prefix?: () => string;
      /** Called after every change (chat, the dashboard, a config reload). */
      readonly changed?: () => void;
    },
  ) {
    for (const c of opts.store.list()) this.stored.set(c.name, { cfg: c, def: this.definition(c) });
    this.indexStored();
  }

  private get p(): string {
    return this.opts.prefix?.() ?? '!';
  }

  /** Problems of the config file's commands that only the running bot sees: a built-in's name, an unknown variable. */
  configProblems(customs: readonly CustomCommandConfig[]): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    customs.forEach((c, i) => {
      [c.name, ...c.aliases].forEach((n, j) => {
        if (this.opts.builtIn(n))
          problems.push({
            path: `commands.custom[${i}].${j === 0 ? 'name' : `aliases[${j - 1}]`}`,
            message: `"${n}" is a built-in command; pick another name`,
          });
      });
      const variable = templateProblem(c.response);
      if (variable) problems.push({ path: `commands.custom[${i}].response`, message: variable });
    });
    return problems;
  }

  /** Whether a channel command (config or chat-added) answers to this name now. */
  has(name: string): boolean {
    return this.configNames.has(name) || this.storedNames.has(name);
  }

  /** Whether a chat-added command answers to this name (whatever the config says). */
  storedHas(name: string): boolean {
    return this.storedNames.has(name);
  }

  /** The config file's commands (at start, and at each reload). */
  setConfig(customs: readonly CustomCommandConfig[]): void {
    this.config = new Map(customs.map((c) => [c.name, { cfg: c, def: this.definition(c) }]));
    this.configNames = new Map(customs.flatMap((c) => [c.name, ...c.aliases].map((n) => [n, c.name] as const)));
    this.opts.changed?.();
  }

  get(name: string): CommandDefinition | undefined {
    const fromConfig = this.configNames.get(name);
    if (fromConfig) return this.config.get(fromConfig)?.def;
    const stored = this.storedNames.get(name);
    return stored ? this.stored.get(stored)?.def : undefined;
  }

  list(): readonly CommandDefinition[] {
    return [...[...this.config.values()].map((c) => c.def), ...[...this.stored.values()].filter((s) => !this.hiddenBy(s.cfg)).map((s) => s.def)];
  }

  views(): CommandView[] {
    const count = (n: string) => this.opts.store.count(n);
    return [
      ...[...this.config.values()].map(({ cfg }) => ({ ...cfg, source: 'config' as const, count: count(cfg.name) })),
      ...[...this.stored.values()].map(({ cfg }) => {
        const hidden = this.hiddenBy(cfg);
        return { ...viewOf(cfg), count: count(cfg.name), ...(hidden ? { hiddenBy: hidden } : {}) };
      }),
    ];
  }

  /** The text of a command's response for a timer (`{user}` is everyone; its counter is not moved). */
  text(name: string, user = 'everyone'): string | undefined {
    const c = this.config.get(this.configNames.get(name) ?? '')?.cfg ?? this.stored.get(this.storedNames.get(name) ?? '')?.cfg;
    if (!c) return undefined;
    const count = this.opts.store.count(c.name);
    return this.render(c.response, user, () => count);
  }

  add(input: CommandInput, by: string, limit: number): BookResult {
    const name = input.name.toLowerCase();
    const bad = this.checkName(name);
    if (bad) return bad;
    if (this.storedNames.has(name)) return fail('taken', `${this.p}${name} exists already; change it with ${this.p}editcom.`);
    if (input.response === undefined) return fail('invalid', 'Write the response after the name.');
    const now = this.opts.clock.now();
    const next: StoredCommand = {
      name,
      response: input.response.trim(),
      aliases: (input.aliases ?? []).map((a) => a.toLowerCase()),
      permission: input.permission ?? 'everyone',
      globalCooldown: input.globalCooldown ?? 0,
      userCooldown: input.userCooldown ?? 0,
      createdAt: now,
      updatedAt: now,
      updatedBy: by,
    };
    return this.save(next, limit);
  }

  edit(input: CommandInput, by: string, limit: number): BookResult {
    const name = input.name.toLowerCase();
    const bad = this.checkName(name, false);
    if (bad) return bad;
    const old = this.stored.get(name)?.cfg;
    if (!old) return fail('not-found', `There is no chat-added ${this.p}${name} to change.`);
    const next: StoredCommand = {
      ...old,
      ...(input.response !== undefined ? { response: input.response.trim() } : {}),
      ...(input.aliases !== undefined ? { aliases: input.aliases.map((a) => a.toLowerCase()) } : {}),
      ...(input.permission !== undefined ? { permission: input.permission } : {}),
      ...(input.globalCooldown !== undefined ? { globalCooldown: input.globalCooldown } : {}),
      ...(input.userCooldown !== undefined ? { userCooldown: input.userCooldown } : {}),
      updatedAt: this.opts.clock.now(),
      updatedBy: by,
    };
    return this.save(next, limit);
  }

  remove(rawName: string): BookResult {
    const name = rawName.toLowerCase();
    const bad = this.checkName(name, false);
    if (bad) return bad;
    const old = this.stored.get(name)?.cfg;
    if (!old) return fail('not-found', `There is no chat-added ${this.p}${name} to delete.`);
    this.opts.store.remove(name);
    this.stored.delete(name);
    this.indexStored();
    this.opts.changed?.();
    return { ok: true, command: { ...viewOf(old), count: this.opts.store.count(name) } };
  }

  /** A name that is valid and not a built-in's nor the config file's; undefined when it is usable. */
  private checkName(name: string, adding = true): BookResult | undefined {
    if (!COMMAND_NAME.test(name)) return fail('invalid', 'A command name is 1 to 32 letters, digits, _ + or -.');
    if (this.opts.builtIn(name))
      return fail(
        'taken',
        adding ? `${this.p}${name} is a built-in command; pick another name.` : `${this.p}${name} is a built-in command; it cannot be changed or deleted.`,
      );
    if (this.configNames.has(name)) return fail('read-only', `${this.p}${name} comes from the config file; change it there.`);
    return undefined;
  }

  private save(next: StoredCommand, limit: number): BookResult {
    const problem = this.problem(next, limit);
    if (problem) return problem;
    this.opts.store.save(next);
    this.stored.set(next.name, { cfg: next, def: this.definition(next) });
    this.indexStored();
    this.opts.changed?.();
    return { ok: true, command: { ...viewOf(next), count: this.opts.store.count(next.name) } };
  }

  private problem(c: StoredCommand, limit: number): BookResult | undefined {
    if (c.response.length === 0) return fail('invalid', 'The response is empty: write what the bot should answer.');
    // The bot never sends a line that starts as a chat command (it would take / and . off): say so
    // now rather than store a response that would be sent changed.
    if (/^[\s/.\\]/.test(c.response)) return fail('invalid', 'A response cannot start with / . or \\ (chat would read it as a command): start it with a word.');
    const length = [...c.response].length;
    if (length > limit) return fail('too-long', `The response has ${length} characters; at most ${limit} fit here.`);
    const variable = templateProblem(c.response);
    if (variable) return fail('variable', `Nothing saved: ${variable}.`);
    if (!PERMISSIONS.includes(c.permission)) return fail('invalid', 'The level is one of everyone, subscriber, vip, moderator or broadcaster.');
    for (const s of [c.globalCooldown, c.userCooldown])
      if (!Number.isInteger(s) || s < 0 || s > MAX_COOLDOWN_SECONDS)
        return fail('invalid', `A cooldown is a whole number of seconds, 0 to ${MAX_COOLDOWN_SECONDS}.`);
    if (c.aliases.length > MAX_ALIASES) return fail('invalid', `At most ${MAX_ALIASES} aliases.`);
    if (new Set(c.aliases).size !== c.aliases.length) return fail('invalid', 'An alias is listed twice.');
    for (const a of c.aliases) {
      if (a === c.name) return fail('invalid', 'An alias cannot be the command’s own name.');
      const bad = this.checkName(a);
      if (bad) return bad.ok ? undefined : fail(bad.code, `Alias: ${bad.message}`);
      const owner = this.storedNames.get(a);
      if (owner && owner !== c.name) return fail('taken', `${this.p}${a} is already ${this.p}${owner}'s name or alias.`);
    }
    return undefined;
  }

  private hiddenBy(c: CustomCommandConfig): string | undefined {
    const owner = [c.name, ...c.aliases].map((n) => this.configNames.get(n)).find((n) => n !== undefined);
    return owner ? `${this.p}${owner}` : undefined;
  }

  private indexStored(): void {
    this.storedNames = new Map([...this.stored.values()].flatMap(({ cfg }) => [cfg.name, ...cfg.aliases].map((n) => [n, cfg.name] as const)));
  }

  private definition(c: CustomCommandConfig): CommandDefinition {
    return customCommand(c, (cfg, event: ChatEvent) => {
      const count = this.opts.store.increment(cfg.name);
      return this.render(cfg.response, addressOf(event.platform, event.author), () => count);
    });
  }

  private render(response: string, user: string, count: () => number): string {
    const v = this.opts.vars;
    return expand(response, {
      user,
      count,
      uptime: () => v?.uptime() ?? '',
      topic: () => v?.topic() ?? 'no topic yet',
      notes: () => v?.notes() ?? '',
      random: () => v?.random() ?? Math.random(),
    });
  }
}

const viewOf = (c: StoredCommand): Omit<CommandView, 'count'> => ({
  name: c.name,
  response: c.response,
  aliases: c.aliases,
  permission: c.permission,
  globalCooldown: c.globalCooldown,
  userCooldown: c.userCooldown,
  source: 'chat',
  updatedAt: c.updatedAt,
  updatedBy: c.updatedBy,
});
