import type { Clock } from '../core/index.js';
import { templateProblem } from '../commands/index.js';
import type { TimerPlatforms, TimerSpec } from './timers.js';

export const TIMER_NAME = /^[a-z0-9_-]{1,32}$/;
const PLATFORMS: readonly TimerPlatforms[] = ['both', 'twitch', 'youtube'];
/** A timer's message is not addressed to anyone: the platform's whole limit. */
const MESSAGE_LIMITS = { twitch: 500, youtube: 200 } as const;

/** A dashboard timer as it is kept. */
export interface StoredTimer extends TimerSpec {
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TimerStore {
  list(): readonly StoredTimer[];
  save(t: StoredTimer): void;
  remove(name: string): boolean;
}

export interface TimerInput {
  readonly name: string;
  readonly message?: string | null;
  readonly command?: string | null;
  readonly everyMinutes?: number;
  readonly minLines?: number;
  readonly platforms?: TimerPlatforms;
  readonly enabled?: boolean;
}

export interface TimerView extends TimerSpec {
  readonly source: 'config' | 'dashboard';
  /** A dashboard timer a config timer of the same name hides. */
  readonly hidden?: boolean;
}

export type TimerResult =
  | { readonly ok: true; readonly timer: TimerView }
  | { readonly ok: false; readonly code: 'invalid' | 'not-found' | 'taken' | 'read-only'; readonly message: string };

const fail = (code: 'invalid' | 'not-found' | 'taken' | 'read-only', message: string): TimerResult => ({ ok: false, code, message });

/**
 * The timers: the config file's (read-only here; they win on a name clash) and those added on the
 * dashboard (kept in the store). Every change is validated as the config file is, and a refusal
 * stores nothing.
 */
export class TimerBook {
  private config: readonly TimerSpec[] = [];
  private readonly stored = new Map<string, StoredTimer>();

  constructor(
    private readonly opts: {
      readonly store: TimerStore;
      readonly clock: Clock;
      /** Whether a channel command (config or chat-added) of this name exists. */
      readonly hasCommand: (name: string) => boolean;
      /** Called with every timer after a change. */
      readonly changed?: (all: readonly TimerSpec[]) => void;
    },
  ) {
    for (const t of opts.store.list()) this.stored.set(t.name, t);
  }

  setConfig(specs: readonly TimerSpec[]): void {
    this.config = specs;
    this.opts.changed?.(this.all());
  }

  /** Problems of the config file's timers that only the running bot can see (variables, a missing command). */
  configProblems(specs: readonly TimerSpec[], hasCommand = this.opts.hasCommand): Array<{ path: string; message: string }> {
    return specs.flatMap((t, i) => {
      const p = this.problem(t, hasCommand);
      return p ? [{ path: `timers[${i}]`, message: p }] : [];
    });
  }

  /** Every timer that runs: the config's, then the dashboard's not hidden by one of the config's. */
  all(): TimerSpec[] {
    const names = new Set(this.config.map((t) => t.name));
    return [...this.config, ...[...this.stored.values()].filter((t) => !names.has(t.name))];
  }

  views(): TimerView[] {
    const names = new Set(this.config.map((t) => t.name));
    return [
      ...this.config.map((t) => ({ ...specOf(t), source: 'config' as const })),
      ...[...this.stored.values()].map((t) => ({ ...specOf(t), source: 'dashboard' as const, ...(names.has(t.name) ? { hidden: true } : {}) })),
    ];
  }

  add(input: TimerInput): TimerResult {
    const name = input.name.toLowerCase();
    const bad = this.checkName(name);
    if (bad) return bad;
    if (this.stored.has(name)) return fail('taken', `There is a timer "${name}" already.`);
    const now = this.opts.clock.now();
    return this.save({
      name,
      ...(input.message ? { message: input.message.trim() } : {}),
      ...(input.command ? { command: input.command.toLowerCase() } : {}),
      everyMinutes: input.everyMinutes ?? 15,
      minLines: input.minLines ?? 10,
      platforms: input.platforms ?? 'both',
      enabled: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    });
  }

  edit(input: TimerInput): TimerResult {
    const name = input.name.toLowerCase();
    const bad = this.checkName(name);
    if (bad) return bad;
    const old = this.stored.get(name);
    if (!old) return fail('not-found', `There is no dashboard timer "${name}".`);
    // A new message replaces a command and the other way round.
    const text = input.message !== undefined || input.command !== undefined;
    const next: StoredTimer = {
      name,
      ...(text ? (input.message ? { message: input.message.trim() } : {}) : old.message !== undefined ? { message: old.message } : {}),
      ...(text ? (input.command ? { command: input.command.toLowerCase() } : {}) : old.command !== undefined ? { command: old.command } : {}),
      everyMinutes: input.everyMinutes ?? old.everyMinutes,
      minLines: input.minLines ?? old.minLines,
      platforms: input.platforms ?? old.platforms,
      enabled: input.enabled ?? old.enabled,
      createdAt: old.createdAt,
      updatedAt: this.opts.clock.now(),
    };
    return this.save(next);
  }

  remove(rawName: string): TimerResult {
    const name = rawName.toLowerCase();
    const bad = this.checkName(name);
    if (bad) return bad;
    const old = this.stored.get(name);
    if (!old) return fail('not-found', `There is no dashboard timer "${name}".`);
    this.opts.store.remove(name);
    this.stored.delete(name);
    this.opts.changed?.(this.all());
    return { ok: true, timer: { ...specOf(old), source: 'dashboard' } };
  }

  private checkName(name: string): TimerResult | undefined {
    if (!TIMER_NAME.test(name)) return fail('invalid', 'A timer name is 1 to 32 letters, digits, _ or -.');
    if (this.config.some((t) => t.name === name)) return fail('read-only', `The timer "${name}" comes from the config file; change it there.`);
    return undefined;
  }

  private save(t: StoredTimer): TimerResult {
    const problem = this.problem(t, this.opts.hasCommand);
    if (problem) return fail('invalid', problem);
    this.opts.store.save(t);
    this.stored.set(t.name, t);
    this.opts.changed?.(this.all());
    return { ok: true, timer: { ...specOf(t), source: 'dashboard' } };
  }

  /** What is wrong with a timer, in words, or undefined. */
  private problem(t: TimerSpec, hasCommand: (name: string) => boolean): string | undefined {
    if ((t.message === undefined) === (t.command === undefined)) return 'Give the timer either a message or a command.';
    if (!PLATFORMS.includes(t.platforms)) return 'Platforms is one of both, twitch or youtube.';
    if (!(t.everyMinutes >= 0.25 && t.everyMinutes <= 1440)) return 'Every: 0.25 to 1440 minutes.';
    if (!Number.isInteger(t.minLines) || t.minLines < 0 || t.minLines > 10_000) return 'Chat lines: a whole number, 0 to 10000.';
    if (t.message !== undefined) {
      if (t.message.trim() === '') return 'The message is empty.';
      const limit = t.platforms === 'twitch' ? MESSAGE_LIMITS.twitch : MESSAGE_LIMITS.youtube;
      const length = [...t.message].length;
      if (length > limit) return `The message has ${length} characters; at most ${limit} fit${t.platforms === 'twitch' ? '' : ' on YouTube'}.`;
      const variable = templateProblem(t.message, { allowUser: false });
      if (variable) return `Nothing saved: ${variable}.`;
    }
    if (t.command !== undefined && !hasCommand(t.command))
      return `There is no channel command "${t.command}" (a config or chat-added one) for the timer to run.`;
    return undefined;
  }
}

const specOf = (t: TimerSpec): TimerSpec => ({
  name: t.name,
  ...(t.message !== undefined ? { message: t.message } : {}),
  ...(t.command !== undefined ? { command: t.command } : {}),
  everyMinutes: t.everyMinutes,
  minLines: t.minLines,
  platforms: t.platforms,
  enabled: t.enabled,
});
