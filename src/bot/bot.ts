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
    void this.opts.router.handle(event);
  }

  /** Room for one answer to `event`: the platform's limit minus `@name `. */
  replyRoom(event: ChatEvent): number {
    const max = this.platforms.get(event.platform)?.limits().maxLength ?? 500;
    return max - [...mentionFor(event)].length - 1;
  }

  /** Queues a reply; says whether it was queued (or why not). */
  reply(event: ChatEvent, text: string, options?: ReplyOptions): 'queued' | 'full' | 'empty' | 'refused' | 'no-outbox' {
    const outbox = this.outboxes.get(event.platform);
    if (!outbox) return 'no-outbox';
    const result = outbox.enqueue({ channel: event.channel, text, mention: mentionFor(event), replyTo: event.id, merge: options?.merge });
    if (result === 'full') this.opts.logger.warn({ platform: event.platform }, 'reply refused: outbox full');
    else if (result === 'refused') this.opts.logger.debug({ platform: event.platform }, 'reply refused: the platform refuses the bot for now');
    return result;
  }
}
