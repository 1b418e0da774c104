/** Time is injected so that cooldowns, rate limits and polling are tested with fake time. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

interface SystemTimer extends TimerHandle {
  readonly t: NodeJS.Timeout;
}

let systemTimerId = 0;

/** Real time. Timers are unref'd: a pending retry never keeps the process alive on its own. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { id: ++systemTimerId, t } satisfies SystemTimer;
  },
  clearTimeout(handle) {
    if (handle) clearTimeout((handle as SystemTimer).t);
  },
};

/** A clock that only moves when told to; timers fire in time order during `advance`. */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1, 12)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (t.at < nextAt || (t.at === nextAt && id < nextId))) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const t = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = Math.max(this.current, t.at);
      t.fn();
    }
    this.current = end;
  }
}

/** Waits on a clock that `wake()` cuts short (stopping a loop that is sleeping between calls). */
export class Sleeper {
  private wakeNow: (() => void) | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeNow = () => {
        this.wakeNow = undefined;
        this.clock.clearTimeout(this.timer);
        resolve();
      };
      this.timer = this.clock.setTimeout(() => this.wakeNow?.(), ms);
    });
  }

  wake(): void {
    this.wakeNow?.();
  }
}
