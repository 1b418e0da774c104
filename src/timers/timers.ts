import type { Clock, Guard, Logger, PlatformId, TimerHandle } from '../core/index.js';

export type TimerPlatforms = 'both' | 'twitch' | 'youtube';

/** A periodic message: its text (or a command whose response is sent), how often, after how much chat. */
export interface TimerSpec {
  readonly name: string;
  readonly message?: string;
  readonly command?: string;
  readonly everyMinutes: number;
  readonly minLines: number;
  readonly platforms: TimerPlatforms;
  readonly enabled: boolean;
}

/** What the timers need from the running bot. */
export interface TimerHost {
  /** Whether the stream session is active (nothing is sent between broadcasts). */
  active(): boolean;
  /** The platforms connected now. */
  platforms(): readonly PlatformId[];
  /** Whether the platform can take a message now (connected, not read-only, YouTube's quota allows it). */
  canSend(platform: PlatformId): boolean;
  /** Hands the text to the platform's outbox; false when it refused it. */
  send(platform: PlatformId, text: string): boolean;
  /** The text to send now, variables filled in; undefined when its command is gone. */
  text(spec: TimerSpec, platform: PlatformId): string | undefined;
}

export interface TimerRunState {
  readonly name: string;
  readonly platform: PlatformId;
  /** Chat lines on the platform since the timer's last message (or since it started). */
  readonly lines: number;
  readonly lastAt: number;
  readonly sent: number;
}

/** How often due timers are looked at besides every chat line. */
export const TIMER_TICK_MS = 5_000;

const onPlatform = (spec: TimerSpec, p: PlatformId) => spec.platforms === 'both' || spec.platforms === p;

/**
 * Runs the timers: a timer speaks on a platform once `everyMinutes` have passed since its last
 * message there and at least `minLines` chat lines were written there since, so a quiet chat is
 * never spammed; only while the stream session is active, and only when the platform can take
 * the message (through its outbox, so YouTube's quota planner decides as for any reply).
 */
export class Timers {
  private specs: readonly TimerSpec[] = [];
  /** Chat lines read per platform, in all. */
  private readonly totals = new Map<PlatformId, number>();
  private readonly state = new Map<string, { linesAt: number; lastAt: number; sent: number }>();
  private timer: TimerHandle | undefined;
  private stopped = true;
  private readonly missing = new Set<string>();

  constructor(
    private readonly opts: { readonly clock: Clock; readonly guard: Guard; readonly logger: Logger; readonly host: TimerHost; readonly tickMs?: number },
  ) {}

  /** The timers now (at start, and after a change); a timer kept by name keeps its count and time. */
  set(specs: readonly TimerSpec[]): void {
    this.specs = specs;
    const names = new Set(specs.map((s) => s.name));
    for (const key of this.state.keys()) if (!names.has(key.split('\u0000')[0]!)) this.state.delete(key);
    for (const spec of specs) for (const p of this.opts.host.platforms()) if (onPlatform(spec, p)) this.entry(spec.name, p);
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
  }

  /** A viewer wrote a line on `platform`. */
  line(platform: PlatformId): void {
    this.totals.set(platform, (this.totals.get(platform) ?? 0) + 1);
    if (this.stopped) return;
    for (const spec of this.specs) if (onPlatform(spec, platform)) this.maybeSend(spec, platform);
  }

  /** Each timer's state per platform, for the dashboard. */
  states(): TimerRunState[] {
    return [...this.state.entries()].map(([key, s]) => {
      const [name, platform] = key.split('\u0000') as [string, PlatformId];
      return { name, platform, lines: (this.totals.get(platform) ?? 0) - s.linesAt, lastAt: s.lastAt, sent: s.sent };
    });
  }

  private entry(name: string, platform: PlatformId) {
    const key = `${name}\u0000${platform}`;
    let s = this.state.get(key);
    if (!s) {
      s = { linesAt: this.totals.get(platform) ?? 0, lastAt: this.opts.clock.now(), sent: 0 };
      this.state.set(key, s);
    }
    return s;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard('timers', () => {
        for (const spec of this.specs) for (const p of this.opts.host.platforms()) if (onPlatform(spec, p)) this.maybeSend(spec, p);
        this.schedule();
      }),
      this.opts.tickMs ?? TIMER_TICK_MS,
    );
  }

  private maybeSend(spec: TimerSpec, platform: PlatformId): void {
    if (!spec.enabled) return;
    const s = this.entry(spec.name, platform);
    const now = this.opts.clock.now();
    const lines = (this.totals.get(platform) ?? 0) - s.linesAt;
    if (now - s.lastAt < spec.everyMinutes * 60_000 || lines < spec.minLines) return;
    const host = this.opts.host;
    if (!host.active() || !host.canSend(platform)) return;
    const text = host.text(spec, platform);
    if (text === undefined) {
      if (!this.missing.has(spec.name)) this.opts.logger.warn({ timer: spec.name, command: spec.command }, 'timer not sent: its command does not exist');
      this.missing.add(spec.name);
      return;
    }
    this.missing.delete(spec.name);
    if (!host.send(platform, text)) return;
    s.linesAt = this.totals.get(platform) ?? 0;
    s.lastAt = now;
    s.sent++;
    this.opts.logger.info({ timer: spec.name, platform, lines }, 'timer sent');
  }
}
