import { LecternError, type Clock, type Health, type Logger, type OutgoingMessage } from '../../core/index.js';
import { YouTubeApiError, type YouTubeApi } from './api.js';
import type { QuotaPlanner } from './quota.js';
import type { ReadPosition } from './read-position.js';

/** After YouTube refuses the bot's messages (banned from the chat...), try again after this long. */
export const SEND_RETRY_MS = 10 * 60_000;

/** What the sender needs from the platform that reads the chat. */
export interface SenderHost {
  readonly api: () => YouTubeApi;
  /** The chat being read, while it is connected. */
  readonly chat: () => ReadPosition | undefined;
  readonly track: <T>(p: Promise<T>) => Promise<T>;
  readonly endChat: (detail: string) => void;
  /** Sending was refused or a message went out: the status changed. */
  readonly sent: () => void;
  readonly refused: () => void;
}

/**
 * Posts the bot's messages with liveChatMessages.insert (20 units each by default, `youtube.quota.costs.insert`). Remembers that YouTube
 * refused them (the account banned or hidden from this chat, chat disabled), so the outbox stops
 * trying for a while instead of spending quota on refusals, and the dashboard says why.
 */
export class YouTubeSender {
  private block: { readonly reason: string; readonly until: number } | undefined;

  constructor(
    private readonly o: { readonly planner: QuotaPlanner; readonly clock: Clock; readonly health: Health; readonly log: Logger; readonly host: SenderHost },
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const { planner, host } = this.o;
    const api = host.api();
    if (!api.canWrite) throw new LecternError('PLATFORM_READ_ONLY', 'YouTube is read-only: only an API key is configured');
    if (!planner.canReply()) throw new LecternError('PLATFORM_READ_ONLY', 'YouTube replies are off until the quota resets: the reply reserve is spent');
    const pos = host.chat();
    if (!pos) throw new LecternError('PLATFORM_SEND_FAILED', 'YouTube chat is not connected');
    const blocked = this.blocked();
    if (blocked) throw new LecternError('PLATFORM_SEND_REFUSED', blocked);
    planner.spend('insert');
    // Our own message comes back in the chat: the position recognises it by id or, until the
    // insert answers, by its text.
    pos.sending(message.text);
    let sent: { id?: string | null; snippet?: { authorChannelId?: string | null } } | undefined;
    try {
      sent = await host.track(api.insertMessage(pos.chatId, message.text));
      host.sent();
    } catch (err) {
      throw this.onError(err);
    } finally {
      pos.sent(message.text, sent?.id ?? undefined, sent?.snippet?.authorChannelId ?? undefined);
    }
  }

  /** Why sending is blocked now, or undefined once the wait is over. */
  blocked(): string | undefined {
    if (this.block && this.o.clock.now() >= this.block.until) this.block = undefined;
    return this.block?.reason;
  }

  private onError(err: unknown): LecternError {
    const reason = err instanceof YouTubeApiError ? err.reason : '';
    if (reason === 'quotaExceeded') this.o.planner.exhausted();
    if (reason === 'liveChatEnded') this.o.host.endChat('the live chat ended');
    if (reason === 'forbidden' || reason === 'liveChatDisabled') {
      // The bot's account may not post here: stop trying for a while, keep reading, say what to do.
      const detail =
        reason === 'forbidden'
          ? "YouTube refuses the bot's messages (forbidden): the signed-in account may be banned or hidden from this chat; unban it or make it a moderator"
          : 'YouTube refuses messages: the live chat is disabled';
      this.block = { reason: detail, until: this.o.clock.now() + SEND_RETRY_MS };
      const e = new LecternError('PLATFORM_SEND_REFUSED', detail, { cause: err });
      this.o.health.report('youtube.send', e);
      this.o.log.error({ code: e.code, reason }, detail);
      this.o.host.refused();
      return e;
    }
    return err instanceof LecternError ? err : new LecternError('PLATFORM_SEND_FAILED', undefined, { cause: err });
  }
}
