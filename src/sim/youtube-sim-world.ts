import type { Clock } from '../core/index.js';
import { liveChatMessage, type SimAuthor, type SimVideo } from './youtube-sim-resources.js';

export interface Chat {
  /** The most recent messages; `offset` is the absolute index of the first one kept. */
  readonly messages: Array<Record<string, unknown>>;
  offset: number;
  ended: boolean;
  /** When the stream went offline (pages carry `offlineAt` from then on; the chat may stay open). */
  offlineAt?: string;
}

/** Messages kept per chat: like YouTube, old chat is gone; a long soak must not grow the simulator. */
const KEEP = 5_000;
export const total = (c: Chat) => c.offset + c.messages.length;

/**
 * What the YouTube simulator holds: channels, videos and their live chats, and what happens in a
 * chat (messages, Super Chats, deletions, tombstones, bans). The HTTP server (youtube-sim.ts)
 * serves it; `changed` tells it a chat has something new for the streams open on it.
 */
export class YouTubeWorld {
  protected readonly chats = new Map<string, Chat>();
  protected readonly videos = new Map<string, SimVideo>();
  /** Channels by id, with their handle (`@name`). */
  protected readonly channels = new Map<string, { handle: string }>();
  private nextId = 1;
  /** Channels banned from a chat: their inserts are refused with 403 `forbidden`. */
  readonly banned = new Set<string>();
  /** Whether the bot's channel moderates the chats (liveChatMessages.delete is refused otherwise). */
  botModerates = true;
  /** Message ids the bot deleted. */
  readonly deletedByBot: string[] = [];

  constructor(
    protected readonly clock: Clock,
    public pollingIntervalMillis: number,
  ) {}

  /** A chat has something new (`always`: even without new messages, e.g. `offlineAt`). */
  protected changed(_chatId: string, _always = false): void {}

  /** A channel, findable by id and by handle (`channels.list forHandle`). */
  addChannel(channelId: string, handle: string): void {
    this.channels.set(channelId, { handle: handle.startsWith('@') ? handle : `@${handle}` });
  }

  /**
   * A video that is live with a chat, or (without chat id) scheduled and not yet live. It is the
   * newest upload of its channel.
   */
  addVideo(videoId: string, liveChatId?: string, opts: { owner?: boolean; channelId?: string; title?: string; startedAt?: number } = {}): void {
    const prev = this.videos.get(videoId);
    const now = new Date(this.clock.now()).toISOString();
    const started = opts.startedAt !== undefined ? new Date(opts.startedAt).toISOString() : (prev?.actualStartTime ?? now);
    this.videos.set(videoId, {
      ...(liveChatId ? { liveChatId, actualStartTime: started } : {}),
      owner: opts.owner ?? prev?.owner ?? true,
      channelId: opts.channelId ?? prev?.channelId ?? 'UC-sim-channel',
      title: opts.title ?? prev?.title ?? `Live: ${videoId}`,
      publishedAt: prev?.publishedAt ?? now,
    });
    if (liveChatId && !this.chats.has(liveChatId)) this.chats.set(liveChatId, { messages: [], offset: 0, ended: false });
  }

  /** The streamer renames the video (its broadcast's title). */
  setTitle(videoId: string, title: string): void {
    const v = this.videos.get(videoId);
    if (v) this.videos.set(videoId, { ...v, title });
  }

  goLive(videoId: string, liveChatId: string): void {
    this.addVideo(videoId, liveChatId);
  }

  /** The stream ends: the chat ends and the video keeps its start and end times, without a chat. */
  endStream(videoId: string): void {
    const v = this.videos.get(videoId);
    if (!v) return;
    if (v.liveChatId) this.endChat(v.liveChatId);
    this.videos.set(videoId, { ...v, liveChatId: undefined, actualEndTime: new Date(this.clock.now()).toISOString() } as SimVideo);
  }

  /** The broadcast goes offline: pages carry `offlineAt` while the chat itself stays open. */
  goOffline(liveChatId: string): void {
    const chat = this.chats.get(liveChatId);
    if (!chat) return;
    chat.offlineAt = new Date(this.clock.now()).toISOString();
    this.changed(liveChatId, true);
  }

  endChat(liveChatId: string): void {
    const chat = this.chats.get(liveChatId);
    if (chat) chat.ended = true;
    this.changed(liveChatId);
  }

  /** A viewer writes (or any other event happens) in a chat. Returns the message. */
  post(liveChatId: string, author: SimAuthor, text: string, type = 'textMessageEvent', details: Record<string, unknown> = {}): Record<string, unknown> {
    const chat = this.chats.get(liveChatId);
    if (!chat) throw new Error(`no chat ${liveChatId}`);
    const message = liveChatMessage(`yt-${this.nextId++}`, liveChatId, author, text, type, details, this.clock.now());
    chat.messages.push(message);
    if (chat.messages.length > KEEP * 2) {
      const drop = chat.messages.length - KEEP;
      chat.messages.splice(0, drop);
      chat.offset += drop;
    }
    this.changed(liveChatId);
    return message;
  }

  /** A Super Chat (or, with `sticker`, a Super Sticker) with YouTube's amount fields. */
  superChat(
    liveChatId: string,
    author: SimAuthor,
    text: string,
    paid: { micros: number; currency: string; display: string; tier: number; sticker?: boolean },
  ): Record<string, unknown> {
    const details = { amountMicros: String(paid.micros), currency: paid.currency, amountDisplayString: paid.display, tier: paid.tier };
    return paid.sticker
      ? this.post(liveChatId, author, '', 'superStickerEvent', {
          superStickerDetails: { ...details, superStickerMetadata: { stickerId: 's1', altText: text, altTextLanguage: 'en' } },
        })
      : this.post(liveChatId, author, `${paid.display} from ${author.displayName}: ${text}`, 'superChatEvent', {
          superChatDetails: { ...details, userComment: text },
        });
  }

  /** A moderator deletes a message: a `messageDeletedEvent`, and a tombstone with the message's id. */
  deleteMessage(liveChatId: string, messageId: string, moderator: SimAuthor, opts: { tombstone?: boolean } = {}): void {
    this.post(liveChatId, moderator, '', 'messageDeletedEvent', { hasDisplayContent: false, messageDeletedDetails: { deletedMessageId: messageId } });
    if (opts.tombstone) this.tombstone(liveChatId, messageId);
  }

  /** The item YouTube leaves in place of a removed message: same id, type `tombstone`, no content. */
  tombstone(liveChatId: string, messageId: string): void {
    const chat = this.chats.get(liveChatId);
    if (!chat) throw new Error(`no chat ${liveChatId}`);
    chat.messages.push({
      kind: 'youtube#liveChatMessage',
      id: messageId,
      snippet: { type: 'tombstone', liveChatId, publishedAt: new Date(this.clock.now()).toISOString(), hasDisplayContent: false },
    });
    this.changed(liveChatId);
  }

  /**
   * The bot deletes a message (liveChatMessages.delete): 204, or the reason YouTube gives. The
   * chat then carries a `messageDeletedEvent` by the bot, as YouTube's does.
   */
  deleteByBot(messageId: string, bot: SimAuthor): 204 | 'forbidden' | 'modificationNotAllowed' | 'liveChatMessageNotFound' {
    if (!this.botModerates) return 'forbidden';
    for (const [chatId, chat] of this.chats) {
      const m = chat.messages.find((x) => x['id'] === messageId);
      if (!m) continue;
      const a = m['authorDetails'] as { isChatOwner?: boolean; isChatModerator?: boolean } | undefined;
      if (a?.isChatOwner || a?.isChatModerator) return 'modificationNotAllowed';
      this.deletedByBot.push(messageId);
      this.deleteMessage(chatId, messageId, { ...bot, moderator: true });
      return 204;
    }
    return 'liveChatMessageNotFound';
  }

  /** A viewer retracts their own message. */
  retract(liveChatId: string, messageId: string, author: SimAuthor): void {
    this.post(liveChatId, author, '', 'messageRetractedEvent', { hasDisplayContent: false, messageRetractedDetails: { retractedMessageId: messageId } });
  }

  /** A moderator bans a viewer (or the bot's channel: its inserts are then refused). */
  ban(liveChatId: string, moderator: SimAuthor, banned: SimAuthor, temporarySeconds?: number): void {
    this.banned.add(banned.channelId);
    const details = {
      bannedUserDetails: { channelId: banned.channelId, displayName: banned.displayName, channelUrl: `https://www.youtube.com/channel/${banned.channelId}` },
      banType: temporarySeconds ? 'temporary' : 'permanent',
      ...(temporarySeconds ? { banDurationSeconds: String(temporarySeconds) } : {}),
    };
    this.post(liveChatId, moderator, '', 'userBannedEvent', { userBannedDetails: details });
  }

  messages(liveChatId: string): ReadonlyArray<Record<string, unknown>> {
    return this.chats.get(liveChatId)?.messages ?? [];
  }

  /** A page from absolute index `from` (clamped to what is still kept). */
  protected page(chatId: string, from: number): Record<string, unknown> {
    const chat = this.chats.get(chatId)!;
    const items = chat.messages.slice(Math.max(0, from - chat.offset));
    return {
      kind: 'youtube#liveChatMessageListResponse',
      pollingIntervalMillis: this.pollingIntervalMillis,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
      nextPageToken: `tok-${total(chat)}`,
      items,
      ...(chat.offlineAt || chat.ended ? { offlineAt: chat.offlineAt ?? new Date(this.clock.now()).toISOString() } : {}),
    };
  }
}
