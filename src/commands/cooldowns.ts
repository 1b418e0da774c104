/** Remembers when commands last ran, globally and per viewer; bounded by pruning old entries. */
export class Cooldowns {
  private readonly global = new Map<string, number>();
  private readonly perUser = new Map<string, number>();

  /** Ms left before `key` may run again, or 0. */
  globalRemaining(command: string, cooldownMs: number, now: number): number {
    const last = this.global.get(command);
    return last === undefined ? 0 : Math.max(0, last + cooldownMs - now);
  }

  userRemaining(command: string, user: string, cooldownMs: number, now: number): number {
    const last = this.perUser.get(`${command}\u0000${user}`);
    return last === undefined ? 0 : Math.max(0, last + cooldownMs - now);
  }

  stamp(command: string, user: string, now: number): void {
    this.global.set(command, now);
    const key = `${command}\u0000${user}`;
    this.perUser.delete(key);
    this.perUser.set(key, now);
    if (this.perUser.size > 50_000) {
      for (const k of [...this.perUser.keys()].slice(0, 10_000)) this.perUser.delete(k);
    }
  }
}

/** A sliding-window counter per viewer: at most `count` commands in `windowMs`. */
export class FloodGate {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
  ) {}

  allow(user: string, now: number): boolean {
    const list = (this.hits.get(user) ?? []).filter((t) => t > now - this.windowMs);
    const ok = list.length < this.count;
    if (ok) list.push(now);
    this.hits.delete(user);
    this.hits.set(user, list);
    if (this.hits.size > 50_000) {
      for (const k of [...this.hits.keys()].slice(0, 10_000)) this.hits.delete(k);
    }
    return ok;
  }
}
