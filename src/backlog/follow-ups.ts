import type { ChatEvent, Clock, Logger } from '../core/index.js';
import type { BacklogRepo, FollowUpRow, StreamRow } from '../store/index.js';

export interface FollowUpOptions {
  readonly repo: BacklogRepo;
  /** The current stream session, once one is open. */
  readonly stream: () => StreamRow | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `followUp.enabled`. */
  readonly enabled: boolean;
  /**
   * Sends a reply to the viewer (through the outbox, within the send limits; it adds the mention);
   * false when it could not be queued (the platform refuses the bot, read-only, the queue is full).
   */
  readonly reply: (event: ChatEvent, text: string) => boolean;
  /** Room for the reply's text after the mention. */
  readonly room: (event: ChatEvent) => number;
}

/** How often the list of viewers waiting for a follow-up is checked against other writers (the CLI). */
const RECHECK_MS = 5_000;

/**
 * Tells a viewer, once, that the question they asked in an earlier stream is answered by a post:
 * "@name your question from 3 Nov is answered: <title> <url>". The post's title and link only,
 * never the viewer's words. At most one a viewer per stream (a viewer with several answered
 * questions hears of the next one in the next stream), matched by platform and account id.
 */
export class FollowUps {
  private waiting = new Set<string>();
  private version = -1;
  private checkedAt = -Infinity;
  private readonly told = new Set<string>();
  private toldStream = -1;

  constructor(private readonly opts: FollowUpOptions) {}

  /** Reads again who waits for a follow-up (after an answer was given in this process). */
  refresh(): void {
    this.version = this.opts.repo.dataVersion();
    this.checkedAt = this.opts.clock.now();
    this.waiting = new Set(this.opts.repo.pendingViewers().map((v) => `${v.platform}:${v.authorId}`));
  }

  private recheck(now: number): void {
    if (now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    if (this.opts.repo.dataVersion() !== this.version) this.refresh();
  }

  onChat(event: ChatEvent): void {
    if (!this.opts.enabled || (event.kind !== 'message' && event.kind !== 'paid-message') || event.sharedFrom) return;
    const now = this.opts.clock.now();
    this.recheck(now);
    const key = `${event.platform}:${event.author.id}`;
    if (!this.waiting.has(key)) return;
    const stream = this.opts.stream();
    if (!stream) return;
    if (this.toldStream !== stream.id) {
      this.told.clear();
      this.toldStream = stream.id;
    }
    if (this.told.has(key)) return;
    this.told.add(key);
    if (this.opts.repo.toldIn(event.platform, event.author.id, stream.id)) return;
    const pending = this.opts.repo.pendingFor(event.platform, event.author.id);
    const next = pending.find((f) => f.askedStreamId < stream.id);
    if (!next) return;
    // Told only when the reply is queued; otherwise it waits for a later message.
    if (!this.opts.reply(event, followUpText(next, this.opts.room(event)))) {
      this.told.delete(key);
      return;
    }
    this.opts.repo.markSent(next, now, stream.id);
    if (pending.length === 1) this.waiting.delete(key);
    this.opts.logger.info({ platform: event.platform, item: next.itemId }, 'follow-up sent');
  }
}

// The service's own time zone (set TZ for the streamer's): "3 Nov" as the streamer would say it.
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });

/**
 * "your question from 3 Nov is answered: <title> <url>", cut to `room` characters: the title is
 * shortened first, the link is kept whole.
 */
export function followUpText(f: Pick<FollowUpRow, 'askedAt' | 'title' | 'url'>, room: number): string {
  const head = `your question from ${DATE.format(new Date(f.askedAt))} is answered:`;
  const title = f.title === f.url ? '' : f.title.replace(/\s+/g, ' ').trim();
  const full = title ? `${head} ${title} ${f.url}` : `${head} ${f.url}`;
  if ([...full].length <= room) return full;
  const left = room - [...`${head}  ${f.url}`].length - 1;
  if (title && left >= 8) return `${head} ${[...title].slice(0, left).join('').trimEnd()}… ${f.url}`;
  return `${head} ${f.url}`;
}
