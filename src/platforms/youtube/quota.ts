import type { Clock } from '../../core/index.js';

export type QuotaCall = 'list' | 'stream' | 'insert' | 'delete' | 'videos' | 'broadcasts' | 'channels' | 'playlistItems';

/** Calls that write to the chat (replies, and deleting a message): they spend the reply reserve. */
const WRITES: ReadonlySet<QuotaCall> = new Set(['insert', 'delete']);

/** Where the ledger lives (the store); injected so the planner stays pure. */
export interface QuotaLedger {
  get(day: string): { units: number; replyUnits: number };
  add(day: string, units: number, replyUnits: number): void;
}

export interface QuotaPlannerOptions {
  readonly dailyUnits: number;
  readonly replyReserve: number;
  readonly costs: Readonly<Record<QuotaCall, number>>;
  readonly plannedStreamMs: number;
  readonly clock: Clock;
  readonly ledger: QuotaLedger;
}

export interface QuotaStatus {
  readonly day: string;
  readonly dailyUnits: number;
  readonly used: number;
  readonly remaining: number;
  readonly replyUsed: number;
  readonly replyRemaining: number;
  /** Replies are off: the reply reserve is spent (or there is no OAuth). */
  readonly replyExhausted: boolean;
  /** At the current pace, how long reading can go on before the quota is gone. */
  readonly projectedMsLeft: number;
  readonly resetsAt: number;
}

const PACIFIC = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The quota day (YYYY-MM-DD, Pacific time) and when it ends. */
export function pacificDay(ms: number): { day: string; resetsAt: number } {
  const parts = Object.fromEntries(PACIFIC.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const sinceMidnight = ((Number(parts['hour']) * 60 + Number(parts['minute'])) * 60 + Number(parts['second'])) * 1000 + (ms % 1000);
  return { day: `${parts['year']}-${parts['month']}-${parts['day']}`, resetsAt: ms - sinceMidnight + 86_400_000 };
}

/** Never plan as if the stream ends sooner than this: a stream that runs late still gets chat. */
const MIN_HORIZON_MS = 30 * 60_000;

/**
 * The YouTube quota ledger and pacing rule. Reading may spend what is left today minus what is
 * still reserved for replies, spread over the planned stream; busy chat is read faster and quiet
 * chat slower, and since the interval is recomputed from what remains before every call, a fast
 * stretch is paid for by slower reading later instead of by running out. No call is made that
 * the ledger says would go over.
 */
export class QuotaPlanner {
  private readonly startedAt: number;

  constructor(private readonly opts: QuotaPlannerOptions) {
    this.startedAt = opts.clock.now();
  }

  private today() {
    const { day, resetsAt } = pacificDay(this.opts.clock.now());
    return { day, resetsAt, ...this.opts.ledger.get(day) };
  }

  cost(call: QuotaCall): number {
    return this.opts.costs[call];
  }

  /** Units reading may still use today: everything left except the unspent reply reserve. */
  readBudget(): number {
    const t = this.today();
    const reserveLeft = Math.max(0, this.opts.replyReserve - t.replyUnits);
    return this.opts.dailyUnits - t.units - reserveLeft;
  }

  canRead(call: QuotaCall): boolean {
    return this.readBudget() >= this.cost(call);
  }

  /** Whether a write (a reply, or with `delete` deleting a message) fits in the reply reserve today. */
  canReply(call: 'insert' | 'delete' = 'insert'): boolean {
    const t = this.today();
    const cost = this.cost(call);
    return t.replyUnits + cost <= this.opts.replyReserve && t.units + cost <= this.opts.dailyUnits;
  }

  spend(call: QuotaCall): void {
    const units = this.cost(call);
    this.opts.ledger.add(this.today().day, units, WRITES.has(call) ? units : 0);
  }

  /** Records that Google said the quota is gone: nothing more until the reset. */
  exhausted(): void {
    const t = this.today();
    this.opts.ledger.add(t.day, Math.max(0, this.opts.dailyUnits - t.units), 0);
  }

  /** Ms until the quota resets (when reading must wait for it). */
  msUntilReset(): number {
    return Math.max(1000, this.today().resetsAt - this.opts.clock.now());
  }

  /**
   * The gap between the starts of two read calls. `activity` is chat messages per minute lately,
   * `usual` the stream's average so far: busier than usual reads faster (down to half the fair
   * interval), quieter slower (up to one and a half), silence at twice the fair interval. `minMs` is what the API
   * asks (pollingIntervalMillis), or 0 for streams.
   */
  interval(call: QuotaCall, minMs: number, activity: number, usual = activity): number {
    const budget = this.readBudget();
    const cost = this.cost(call);
    if (budget < cost) return this.msUntilReset();
    const now = this.opts.clock.now();
    const plannedEnd = this.startedAt + this.opts.plannedStreamMs;
    const horizon = Math.max(plannedEnd - now, MIN_HORIZON_MS);
    const fair = horizon / (budget / cost);
    const factor = activity <= 0 ? 2 : Math.min(1.5, Math.max(0.5, Math.sqrt(Math.max(usual, 0.1) / activity)));
    return Math.max(minMs, Math.round(fair * factor));
  }

  status(currentIntervalMs: number, call: QuotaCall = 'list'): QuotaStatus {
    const t = this.today();
    const budget = this.readBudget();
    const cost = this.cost(call);
    return {
      day: t.day,
      dailyUnits: this.opts.dailyUnits,
      used: t.units,
      remaining: Math.max(0, this.opts.dailyUnits - t.units),
      replyUsed: t.replyUnits,
      replyRemaining: Math.max(0, this.opts.replyReserve - t.replyUnits),
      replyExhausted: !this.canReply(),
      projectedMsLeft: budget < cost ? 0 : Math.round((budget / cost) * Math.max(currentIntervalMs, 1)),
      resetsAt: t.resetsAt,
    };
  }
}
