import { addressOf, type ChatEvent, type ChatPlatform, type Guard, type Logger, type PlatformId } from '../core/index.js';
import type { CommandRouter, ReplyOptions } from '../commands/index.js';
import type { Outbox } from '../outbox/index.js';
import type { BotEmit } from './events.js';

export interface BotOptions {
  readonly router: CommandRouter;
  readonly emit: BotEmit;
  readonly logger: Logger;
  readonly guard: Guard;
}

export interface BotStats {
  processed: number;
  commands: number;
}

/** How a viewer is addressed in a reply (`@alice`, `@ada.lovelace`, `Anhad Singh`). */
export const mentionFor = (event: ChatEvent): string => addressOf(event.platform, event.author);

/**
 * The pipeline every chat event goes through: publish, route commands, send answers through the
 * platform's outbox. Platforms deduplicate at the edge and drop the bot's own messages by id
 * (never by account: the bot may run as the streamer's own account, whose commands count).
 */
export class Bot {
  private readonly outboxes = new Map<PlatformId, Outbox>();
  private readonly platforms = new Map<PlatformId, ChatPlatform>();
  private reading = true;
  private readonly interceptors: Array<(event: ChatEvent) => boolean> = [];
  readonly stats: BotStats = { processed: 0, commands: 0 };

  constructor(private readonly opts: BotOptions) {
    opts.router.onOutcome((outcome, event) => {
      if (outcome.status === 'ran' || outcome.status === 'failed') this.stats.commands++;
      if (outcome.status !== 'ignored') opts.emit('outcome', { event, outcome });
    });
  }

  /** Connects a platform and its outbox to the pipeline. */
  attach(platform: ChatPlatform, outbox: Outbox): void {
    this.outboxes.set(platform.id, outbox);
    this.platforms.set(platform.id, platform);
    platform.onEvent(this.opts.guard(`${platform.id}.event`, (e: ChatEvent) => this.handle(e)));
    platform.onSignal(
      this.opts.guard(`${platform.id}.signal`, (s) => {
        if (s.type === 'status') this.opts.emit('platform-status', s.status);
        if (s.type === 'live') this.opts.emit('platform-live', { platform: platform.id, live: s.live });
        if (s.type === 'title') this.opts.emit('platform-title', { platform: platform.id, title: s.title });
      }),
    );
    outbox.onSent((text, replies) => this.opts.emit('reply-sent', { platform: platform.id, text, replies }));
  }

  /** Takes a platform out (its settings changed, or it left the config); it is stopped by the caller. */
  detach(id: PlatformId): void {
    this.outboxes.delete(id);
    this.platforms.delete(id);
  }

  /** A check before commands: a line it takes (a link being deleted) is shown but not answered. */
  intercept(check: (event: ChatEvent) => boolean): void {
    this.interceptors.push(check);
  }

  /** Stops taking new chat (first step of shutdown); replies already queued still go out. */
  stopReading(): void {
    this.reading = false;
  }

  handle(event: ChatEvent): void {
    if (!this.reading) return;
    this.stats.processed++;
    this.opts.emit('chat', event);
    // Shared Chat copies from a partner's channel are shown, never answered: they were asked there.
    if (event.sharedFrom) return;
    for (const check of this.interceptors) if (check(event)) return;
    void this.opts.router.handle(event);
  }

  /** Room for one answer to `event`: the platform's limit minus `@name `. */
  replyRoom(event: ChatEvent): number {
    const max = this.platforms.get(event.platform)?.limits().maxLength ?? 500;
    return max - [...mentionFor(event)].length - 1;
  }

  /**
   * Answers a viewer; `thread: false` does not thread it under their message (one being deleted).
   * Says whether it was queued (or why not).
   */
  reply(event: ChatEvent, text: string, options?: ReplyOptions & { readonly thread?: boolean }): 'queued' | 'full' | 'empty' | 'refused' | 'no-outbox' {
    const outbox = this.outboxes.get(event.platform);
    if (!outbox) return 'no-outbox';
    const thread = options?.thread === false ? {} : { replyTo: event.id };
    const result = outbox.enqueue({ channel: event.channel, text, mention: mentionFor(event), ...thread, merge: options?.merge });
    if (result === 'full') this.opts.logger.warn({ platform: event.platform }, 'reply refused: outbox full');
    else if (result === 'refused') this.opts.logger.debug({ platform: event.platform }, 'reply refused: the platform refuses the bot for now');
    return result;
  }

  /** A message to the whole chat (a timer): through the outbox, addressed to nobody; false when refused. */
  announce(platform: PlatformId, text: string): boolean {
    const outbox = this.outboxes.get(platform);
    const channel = this.platforms.get(platform)?.status().channel;
    if (!outbox || channel === undefined) return false;
    return outbox.enqueue({ channel, text }) === 'queued';
  }

  /** The platforms attached now. */
  platformIds(): PlatformId[] {
    return [...this.platforms.keys()];
  }

  /** Whether a platform can take a message now (connected, allowed to send, YouTube's quota allows it). */
  canSend(platform: PlatformId): boolean {
    const s = this.platforms.get(platform)?.status();
    return Boolean(s && s.state === 'connected' && s.canSend);
  }
}
