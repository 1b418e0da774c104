/** Exponential backoff with full jitter, shared by every reconnecting part. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor?: number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly factor: number;
  private readonly random: () => number;

  constructor(private readonly opts: BackoffOptions) {
    this.factor = opts.factor ?? 2;
    this.random = opts.random ?? Math.random;
  }

  /** Upper bound of the next delay, before jitter. */
  ceiling(): number {
    return Math.min(this.opts.maxMs, this.opts.initialMs * this.factor ** this.attempt);
  }

  /** The delay before the next attempt: between half the ceiling and the ceiling. */
  next(): number {
    const ceiling = this.ceiling();
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
