import type { Clock, Logger } from '../../core/index.js';
import type { QuotaPlanner } from './quota.js';

export type Transport = 'stream' | 'poll';

/**
 * How the chat is read and how long to wait between reads: the transport (streamList unless it
 * proved unavailable, or the config says otherwise), YouTube's own polling interval, and the
 * quota planner's pace for how busy the chat is (the last two minutes against the stream so far).
 */
export class ReadPacing {
  /** The transport of the last read. */
  transport: Transport;
  /** YouTube's pollingIntervalMillis from the last page. */
  private pollingMs = 5_000;
  private intervalMs = 0;
  private streamDisabledUntil = 0;
  private readonly times: number[] = [];

  constructor(private readonly o: { readonly mode: 'auto' | 'stream' | 'poll'; readonly clock: Clock; readonly planner: QuotaPlanner; readonly log: Logger }) {
    this.transport = o.mode === 'poll' ? 'poll' : 'stream';
  }

  /** The transport for the next read. */
  pick(): Transport {
    const { mode, clock } = this.o;
    const next: Transport = mode === 'poll' ? 'poll' : mode === 'stream' ? 'stream' : clock.now() >= this.streamDisabledUntil ? 'stream' : 'poll';
    if (next !== this.transport) this.o.log.info({ transport: next }, 'reading transport changed');
    return (this.transport = next);
  }

  /** The stream endpoint is unavailable: poll for `ms`. */
  pollFor(ms: number): void {
    this.streamDisabledUntil = this.o.clock.now() + ms;
  }

  /** A page arrived with YouTube's interval. */
  page(pollingIntervalMillis: unknown): void {
    if (typeof pollingIntervalMillis === 'number' && pollingIntervalMillis > 0) this.pollingMs = pollingIntervalMillis;
  }

  /** A chat message arrived. */
  message(now: number): void {
    this.times.push(now);
  }

  /**
   * How long to wait after a read with `transport` that began at `began`; `since` and `total`:
   * when reading began and how many messages came since.
   */
  wait(transport: Transport, began: number, since: number, total: number): number {
    const now = this.o.clock.now();
    const recent = this.recentRate(now);
    const minutes = (now - since) / 60_000;
    const usual = minutes < 2 ? recent : total / minutes;
    const call = transport === 'stream' ? 'stream' : 'list';
    this.intervalMs = this.o.planner.interval(call, transport === 'poll' ? this.pollingMs : 0, recent, usual);
    const left = this.intervalMs - (now - began);
    return transport === 'poll' ? Math.max(this.pollingMs, left) : Math.max(0, left);
  }

  /** The interval the quota status projects with. */
  currentInterval(): number {
    return this.intervalMs || this.pollingMs;
  }

  /** Messages per minute over the last two minutes. */
  private recentRate(now: number): number {
    const since = now - 120_000;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < since) drop++;
    if (drop) this.times.splice(0, drop);
    return this.times.length / 2;
  }
}
