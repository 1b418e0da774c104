import {
  codePointLength,
  LecternError,
  isLecternError,
  type ChatPlatform,
  type Clock,
  type Guard,
  type Health,
  type Logger,
  type TimerHandle,
} from '../core/index.js';
import { safeOutgoing, splitMessage } from './split.js';
import { mergeInto, pack, type Item, type Packed } from './packing.js';
import type { OutboxOptions, OutboxStats, Reply } from './types.js';

export type { OutboxOptions, OutboxStats, Reply } from './types.js';

/** A refusal this long after a send is about that send (Twitch answers within a second or two). */
const REFUSAL_WINDOW_MS = 10_000;

/** How long to hold back after the platform says we sent too fast. */
const PENALTY_MS = { ratelimit: 30_000, slowmode: 5_000 } as const;

/**
 * One per platform; every reply goes through it. It keeps within the platform's send limits,
 * never sends identical text inside the duplicate window, splits long replies, and when replies
 * back up it packs them into fewer messages (one message serving several viewers) instead of
 * letting the queue grow. What cannot be sent before its deadline is dropped and counted.
 */
export class Outbox {
  private readonly queue: Item[] = [];
  private readonly sentTimes: number[] = [];
  private readonly recentTexts = new Map<string, number>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private sending = false;
  private pausedUntil = 0;
  private lastSent: { items: readonly Item[]; text: string } | undefined;
  private stopped = false;
  private failures = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly log: Logger;
  readonly stats: OutboxStats = {
    queued: 0,
    sent: 0,
    repliesDelivered: 0,
    coalesced: 0,
    droppedLate: 0,
    droppedFull: 0,
    droppedDuplicate: 0,
    rejected: 0,
    refused: 0,
  };
  /** The last message handed over, until the platform could still say it refused it. */
  private lastDelivered: { replies: number; at: number } | undefined;
  private readonly sentListeners: Array<(text: string, replies: number) => void> = [];

  constructor(private readonly opts: OutboxOptions) {
    this.log = opts.logger.child({ component: 'outbox', platform: opts.platform.id });
    opts.platform.onSignal(
      opts.guard(`${opts.platform.id}.outbox`, (signal) => {
        if (signal.type === 'status' && signal.status.state === 'connected') this.pump();
        if (signal.type === 'send-rejected') this.onRejected(signal.reason, signal.code);
        if (signal.type === 'send-refused') this.onRefused(signal.scope, signal.code);
      }),
    );
  }

  /** Listen to each message actually handed to the platform (demo output, tests). */
  onSent(listener: (text: string, replies: number) => void): void {
    this.sentListeners.push(listener);
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(reply: Reply): 'queued' | 'full' | 'empty' | 'refused' {
    if (this.stopped) return 'full';
    const status = this.opts.platform.status();
    // The platform refuses the bot's messages for now, or it is connected and cannot send (read
    // only: an API key, an anonymous login, YouTube's reply quota spent): waiting would deliver
    // them late or never. While it connects, replies wait.
    if (status.sendBlocked || (status.state === 'connected' && !status.canSend)) {
      this.stats.refused++;
      return 'refused';
    }
    const max = this.opts.platform.limits().maxLength;
    const text = safeOutgoing(reply.text);
    if (!text) return 'empty';
    const mention = reply.mention ? safeOutgoing(reply.mention) || undefined : undefined;
    const deadline = this.opts.clock.now() + this.opts.maxDelayMs;
    if (reply.merge && this.mergeIntoLast(reply.channel, reply.merge, mention, max)) return 'queued';
    const prefix = mention ? `${mention} ` : '';
    const parts = codePointLength(prefix + text) <= max ? [text] : splitMessage(text, max - codePointLength(prefix));
    if (this.queue.length + parts.length > this.opts.maxQueue) {
      this.stats.droppedFull++;
      this.log.warn({ pending: this.queue.length }, 'outbox full; reply dropped');
      return 'full';
    }
    const merge = reply.merge && parts.length === 1 ? { key: reply.merge.key, entries: [{ mention, short: safeOutgoing(reply.merge.short) }] } : undefined;
    parts.forEach((p, i) =>
      this.queue.push({
        channel: reply.channel,
        text: p,
        mention: i === 0 ? mention : undefined,
        replyTo: reply.replyTo,
        deadline,
        part: parts.length > 1,
        replies: i === 0 ? 1 : 0,
        ...(merge ? { merge } : {}),
      }),
    );
    this.stats.queued += parts.length;
    this.pump();
    return 'queued';
  }

  private mergeIntoLast(channel: string, merge: { key: string; short: string }, mention: string | undefined, max: number): boolean {
    const last = this.queue[this.queue.length - 1];
    const merged = last && mergeInto(last, channel, merge, mention, max, this.opts.clock.now() + this.opts.maxDelayMs);
    if (!merged) return false;
    this.queue[this.queue.length - 1] = merged;
    this.stats.queued++;
    this.stats.coalesced++;
    this.pump();
    return true;
  }

  /** Resolves when the queue is empty or after `timeoutMs` of the clock, whichever comes first. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.queue.length === 0 && !this.sending) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        this.opts.clock.clearTimeout(t);
        resolve(ok);
      };
      const t = this.opts.clock.setTimeout(() => finish(false), timeoutMs);
      this.waiters.push(() => finish(true));
    });
  }

  stop(): void {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length) this.log.warn({ unsent: this.queue.length }, 'outbox stopped with replies unsent');
  }

  /** Takes in the send times remembered from before a restart (call once the store is open). */
  restoreHistory(): void {
    try {
      const now = this.opts.clock.now();
      const times = (this.opts.history?.load() ?? []).filter((t) => Number.isFinite(t) && t <= now).sort((a, b) => a - b);
      this.sentTimes.push(...times);
    } catch (err) {
      this.opts.health.report(`${this.opts.platform.id}.outbox`, err);
    }
  }

  private saveHistory(): void {
    if (!this.opts.history) return;
    try {
      this.opts.history.save(this.sentTimes.slice(-this.opts.platform.limits().perWindow));
    } catch (err) {
      this.opts.health.report(`${this.opts.platform.id}.outbox`, err);
    }
  }

  /** When the next message may go out under the current limits. */
  private nextSlot(now: number): number {
    const limits = this.opts.platform.limits();
    while (this.sentTimes.length && this.sentTimes[0]! <= now - limits.windowMs) this.sentTimes.shift();
    let at = Math.max(now, this.pausedUntil);
    const last = this.sentTimes[this.sentTimes.length - 1];
    if (last !== undefined) at = Math.max(at, last + limits.minIntervalMs);
    if (this.sentTimes.length >= limits.perWindow) {
      at = Math.max(at, this.sentTimes[this.sentTimes.length - limits.perWindow]! + limits.windowMs);
    }
    return at;
  }

  private pump(): void {
    if (this.stopped || this.sending) return;
    const now = this.opts.clock.now();
    this.dropLate(now);
    if (this.queue.length === 0) return this.notifyDrained();
    if (!this.opts.platform.status().canSend) return; // a 'connected' status signal pumps again
    const at = this.nextSlot(now);
    if (at > now) return this.schedule(at);
    void this.sendNext(now);
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.opts.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard(`${this.opts.platform.id}.outbox`, () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      }),
      at - this.opts.clock.now(),
    );
  }

  private dropLate(now: number): void {
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.deadline < now) {
        this.queue.splice(i, 1);
        dropped++;
      }
    }
    if (dropped) {
      this.stats.droppedLate += dropped;
      this.log.warn({ dropped }, 'replies dropped after their deadline');
    }
  }

  private take(): Packed {
    const packed = pack(this.queue, this.opts.platform.limits().maxLength, this.opts.separator ?? ' · ');
    if (packed.items.length > 1) this.stats.coalesced += packed.items.length - 1;
    return packed;
  }

  private async sendNext(now: number): Promise<void> {
    const msg = this.take();
    const limits = this.opts.platform.limits();
    for (const [t, at] of this.recentTexts) if (at <= now - limits.duplicateWindowMs) this.recentTexts.delete(t);
    if (this.recentTexts.has(msg.text)) {
      // The same words went out moments ago to the same people: they have their answer.
      this.stats.droppedDuplicate += msg.items.length;
      this.pump();
      return;
    }
    this.sending = true;
    this.sentTimes.push(now);
    // Saved before the message leaves: a crash right after sending must still count it.
    this.saveHistory();
    this.recentTexts.set(msg.text, now);
    try {
      await this.opts.platform.send({ channel: msg.channel, text: msg.text, replyTo: msg.replyTo });
      this.stats.sent++;
      this.failures = 0;
      const replies = msg.items.reduce((n, i) => n + i.replies, 0);
      this.stats.repliesDelivered += replies;
      this.lastDelivered = { replies, at: now };
      this.lastSent = { items: msg.items, text: msg.text };
      // A message went out: whatever stopped sending before is over, and the dashboard says so.
      this.opts.health.resolve(`${this.opts.platform.id}.send`);
      for (const l of this.sentListeners) l(msg.text, msg.items.length);
    } catch (err) {
      // Not sent: give the slot back and keep the replies for when the platform is ready again.
      this.sentTimes.pop();
      this.saveHistory();
      this.recentTexts.delete(msg.text);
      if (isLecternError(err, 'PLATFORM_READ_ONLY') || isLecternError(err, 'PLATFORM_SEND_REFUSED')) {
        this.refuseAll([...msg.items, ...this.queue]);
      } else {
        this.failures++;
        this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(30_000, 500 * 2 ** this.failures));
        this.queue.unshift(...msg.items.reverse());
        this.opts.health.report(
          `${this.opts.platform.id}.send`,
          err instanceof LecternError ? err : new LecternError('PLATFORM_SEND_FAILED', undefined, { cause: err }),
        );
      }
    } finally {
      this.sending = false;
    }
    this.pump();
  }

  private onRejected(reason: string, code: string): void {
    this.stats.rejected++;
    this.log.warn({ reason, code }, 'platform rejected a message');
    const now = this.opts.clock.now();
    // The rejected message is most likely the last one, if it went out moments ago: it was not
    // delivered after all. Older than that, which message it was is unknown: nothing is undone.
    const last = this.lastSent;
    const delivered = this.lastDelivered;
    const recent = delivered !== undefined && now - delivered.at <= REFUSAL_WINDOW_MS;
    if (recent) this.stats.repliesDelivered -= delivered.replies;
    this.lastDelivered = undefined;
    this.lastSent = undefined;
    if (reason === 'ratelimit' || reason === 'slowmode') {
      this.pausedUntil = Math.max(this.pausedUntil, now + PENALTY_MS[reason]);
      // Its replies go out again once, after the pause (a second rejection drops them). A
      // duplicate is not sent again: the same words were just delivered.
      if (last && recent) {
        this.recentTexts.delete(last.text);
        const again = last.items.filter((i) => !i.retried).map((i) => ({ ...i, retried: true, deadline: Math.max(i.deadline, this.pausedUntil + 1000) }));
        this.queue.unshift(...again);
      }
      this.pump();
    }
  }

  /**
   * The platform refused a message after taking it (Twitch answers with a NOTICE): the last one
   * is counted as refused, not delivered; with `all`, the bot cannot speak for now and every
   * waiting reply is refused too.
   */
  private onRefused(scope: 'message' | 'all', code: string): void {
    this.log.warn({ scope, code }, "platform refused the bot's message");
    const last = this.lastDelivered;
    if (last && this.opts.clock.now() - last.at <= REFUSAL_WINDOW_MS) {
      this.stats.repliesDelivered -= last.replies;
      this.stats.refused += last.replies;
    }
    this.lastDelivered = undefined;
    this.lastSent = undefined;
    if (scope === 'all') this.refuseAll(this.queue);
    this.notifyDrained();
  }

  private refuseAll(items: readonly Item[]): void {
    this.stats.refused += items.reduce((n, i) => n + i.replies, 0);
    this.queue.length = 0;
  }

  private notifyDrained(): void {
    if (this.sending || this.queue.length) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
