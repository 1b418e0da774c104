import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../core/index.js';
import { readBody, seededRandom } from './http-body.js';

export type YouTubeMethod = 'videos' | 'broadcasts' | 'channels' | 'playlistItems' | 'list' | 'stream' | 'insert' | 'token';

export type YouTubeFault =
  | { kind: 'http'; status: number; reason?: string; domain?: string }
  | { kind: 'malformed' }
  | { kind: 'cut' }
  | { kind: 'slow'; ms: number }
  /** A stream whose array carries an error object as an element, then ends. */
  | { kind: 'stream-error'; status: number; reason: string }
  /** An insert whose message is posted (and streamed) at once, but whose answer comes `ms` later. */
  | { kind: 'late-answer'; ms: number };

export interface SimAuthor {
  readonly channelId: string;
  readonly displayName: string;
  readonly owner?: boolean;
  readonly moderator?: boolean;
  readonly member?: boolean;
}

interface Chat {
  /** The most recent messages; `offset` is the absolute index of the first one kept. */
  readonly messages: Array<Record<string, unknown>>;
  offset: number;
  ended: boolean;
  /** When the stream went offline (pages carry `offlineAt` from then on; the chat may stay open). */
  offlineAt?: string;
}

/** Messages kept per chat: like YouTube, old chat is gone; a long soak must not grow the simulator. */
const KEEP = 5_000;
const total = (c: Chat) => c.offset + c.messages.length;

export interface YouTubeSimOptions {
  readonly clock?: Clock;
  readonly apiKeys?: readonly string[];
  /** refresh token -> client id that may use it */
  readonly refreshTokens?: readonly string[];
  readonly dailyUnits?: number;
  readonly costs?: Partial<Record<YouTubeMethod, number>>;
  readonly pollingIntervalMillis?: number;
  /** How long (clock ms) the server keeps one stream call open. */
  readonly streamHoldMs?: number;
  readonly accessTokenTtlMs?: number;
  /** The bot's own channel, as the author of inserted messages. */
  readonly botChannelId?: string;
  /** The author of inserted messages (the streamer's own channel when the bot signs in as them). */
  readonly botAuthor?: SimAuthor;
  /**
   * How a stream's body is written. By default in random pieces of 1 to `maxBytes` bytes, one
   * per turn of the event loop, as TCP segments and chunked transfer may deliver it: a piece
   * often ends inside a multi-byte character. The seed makes the pieces the same on every run;
   * `false` writes each page whole (benchmarks).
   */
  readonly streamPieces?: { readonly seed: number; readonly maxBytes?: number } | false;
}

export interface CallRecord {
  readonly method: YouTubeMethod;
  readonly at: number;
  readonly status: number;
  readonly units: number;
}

const COSTS: Record<YouTubeMethod, number> = { videos: 1, broadcasts: 1, channels: 1, playlistItems: 1, list: 5, stream: 5, insert: 20, token: 0 };

interface SimVideo {
  liveChatId?: string;
  actualStartTime?: string;
  actualEndTime?: string;
  owner: boolean;
  channelId: string;
  title: string;
  publishedAt: string;
}

/**
 * The YouTube Data API on loopback: videos.list, liveBroadcasts.list, liveChatMessages list,
 * stream and insert, and the OAuth token endpoint; per-call quota with a 403 `quotaExceeded`
 * once spent; and injected faults (HTTP errors with any reason, malformed JSON, a stream cut in
 * the middle of an object, slow answers).
 */
export class YouTubeSim {
  private server: Server | undefined;
  private readonly clock: Clock;
  private readonly chats = new Map<string, Chat>();
  private readonly videos = new Map<string, SimVideo>();
  /** Channels by id, with their handle (`@name`). */
  private readonly channels = new Map<string, { handle: string }>();
  private readonly accessTokens = new Map<string, number>();
  private readonly faults: Array<{ method: YouTubeMethod; fault: YouTubeFault }> = [];
  private readonly streams = new Set<{ chatId: string; out: PieceWriter; next: number; close: () => void }>();
  private readonly pieceRandom: (() => number) | undefined;
  private nextId = 1;
  private nextToken = 1;
  readonly calls: CallRecord[] = [];
  readonly inserted: Array<{ at: number; chatId: string; text: string }> = [];
  readonly revoked = new Set<string>();
  unitsUsed = 0;
  quotaErrors = 0;
  /** Channels banned from a chat: their inserts are refused with 403 `forbidden`. */
  readonly banned = new Set<string>();
  dailyUnits: number;
  pollingIntervalMillis: number;

  constructor(private readonly opts: YouTubeSimOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.dailyUnits = opts.dailyUnits ?? 10_000;
    this.pollingIntervalMillis = opts.pollingIntervalMillis ?? 5_000;
    const pieces = opts.streamPieces ?? { seed: 1 };
    this.pieceRandom = pieces ? seededRandom(pieces.seed) : undefined;
    this.pieceMax = pieces ? (pieces.maxBytes ?? 96) : 0;
  }

  private readonly pieceMax: number;

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get rootUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  start(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => void this.route(req, res));
      this.server = server;
      server.keepAliveTimeout = 1000;
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(this.port));
    });
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

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
    this.flushStreams(liveChatId, true);
  }

  endChat(liveChatId: string): void {
    const chat = this.chats.get(liveChatId);
    if (chat) chat.ended = true;
    this.flushStreams(liveChatId);
  }

  /** Queues a fault for the next call of `method`. */
  inject(method: YouTubeMethod, fault: YouTubeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ method, fault });
  }

  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** A viewer writes (or any other event happens) in a chat. Returns the message. */
  post(liveChatId: string, author: SimAuthor, text: string, type = 'textMessageEvent', details: Record<string, unknown> = {}): Record<string, unknown> {
    const chat = this.chats.get(liveChatId);
    if (!chat) throw new Error(`no chat ${liveChatId}`);
    const id = `yt-${this.nextId++}`;
    const message = {
      kind: 'youtube#liveChatMessage',
      id,
      snippet: {
        type,
        liveChatId,
        authorChannelId: author.channelId,
        publishedAt: new Date(this.clock.now()).toISOString(),
        hasDisplayContent: true,
        displayMessage: text,
        ...(type === 'textMessageEvent' ? { textMessageDetails: { messageText: text } } : {}),
        ...details,
      },
      authorDetails: {
        channelId: author.channelId,
        displayName: author.displayName,
        isChatOwner: author.owner ?? false,
        isChatModerator: author.moderator ?? false,
        isChatSponsor: author.member ?? false,
        isVerified: false,
      },
    };
    chat.messages.push(message);
    if (chat.messages.length > KEEP * 2) {
      const drop = chat.messages.length - KEEP;
      chat.messages.splice(0, drop);
      chat.offset += drop;
    }
    this.flushStreams(liveChatId);
    return message;
  }

  /** A Super Chat (or, with `sticker`, a Super Sticker) with YouTube's amount fields. */
  superChat(liveChatId: string, author: SimAuthor, text: string, paid: { micros: number; currency: string; display: string; tier: number; sticker?: boolean }): Record<string, unknown> {
    const details = { amountMicros: String(paid.micros), currency: paid.currency, amountDisplayString: paid.display, tier: paid.tier };
    return paid.sticker
      ? this.post(liveChatId, author, '', 'superStickerEvent', { superStickerDetails: { ...details, superStickerMetadata: { stickerId: 's1', altText: text, altTextLanguage: 'en' } } })
      : this.post(liveChatId, author, `${paid.display} from ${author.displayName}: ${text}`, 'superChatEvent', { superChatDetails: { ...details, userComment: text } });
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
    chat.messages.push({ kind: 'youtube#liveChatMessage', id: messageId, snippet: { type: 'tombstone', liveChatId, publishedAt: new Date(this.clock.now()).toISOString(), hasDisplayContent: false } });
    this.flushStreams(liveChatId);
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
  private page(chatId: string, from: number): Record<string, unknown> {
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

  private flushStreams(chatId: string, always = false): void {
    for (const s of this.streams) {
      if (s.chatId !== chatId) continue;
      const chat = this.chats.get(chatId)!;
      if (total(chat) > s.next || chat.ended || always) {
        s.out.write(`,\n${JSON.stringify(this.page(chatId, s.next))}`);
        s.next = total(chat);
        if (chat.ended) s.close();
      }
    }
  }

  private error(res: ServerResponse, status: number, reason: string, domain = 'youtube.liveChat'): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: status, message: reason, errors: [{ domain, reason, message: reason }] } }));
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private authorised(req: IncomingMessage, url: URL, needOAuth: boolean): boolean {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const exp = this.accessTokens.get(bearer);
      return exp !== undefined && exp > this.clock.now();
    }
    if (needOAuth) return false;
    const key = url.searchParams.get('key');
    return key !== null && (this.opts.apiKeys ?? []).includes(key);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const p = url.pathname.replace(/\/+$/, '');
    const method: YouTubeMethod | undefined =
      p === '/token' ? 'token'
      : p === '/youtube/v3/videos' ? 'videos'
      : p === '/youtube/v3/liveBroadcasts' ? 'broadcasts'
      : p === '/youtube/v3/channels' ? 'channels'
      : p === '/youtube/v3/playlistItems' ? 'playlistItems'
      : p === '/youtube/v3/liveChat/messages/stream' ? 'stream'
      : p === '/youtube/v3/liveChat/messages' ? (req.method === 'POST' ? 'insert' : 'list')
      : undefined;
    if (p === '/o/oauth2/v2/auth') return this.authorize(url, res);
    if (!method) return this.error(res, 404, 'notFound', 'global');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const record = (status: number, units: number) => this.calls.push({ method, at: this.clock.now(), status, units });
    if (method === 'token') return this.token(res, body, record);

    const faultIndex = this.faults.findIndex((f) => f.method === method);
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0]!.fault : undefined;
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'http') {
      record(fault.status, 0);
      return this.error(res, fault.status, fault.reason ?? 'backendError', fault.domain ?? (fault.reason === 'quotaExceeded' ? 'youtube.quota' : 'youtube.liveChat'));
    }
    if (!this.authorised(req, url, method === 'insert' || method === 'broadcasts')) {
      record(401, 0);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ domain: 'global', reason: 'authError' }] } }));
      return;
    }
    const cost = this.opts.costs?.[method] ?? COSTS[method];
    if (this.unitsUsed + cost > this.dailyUnits) {
      this.quotaErrors++;
      record(403, 0);
      return this.error(res, 403, 'quotaExceeded', 'youtube.quota');
    }
    if (fault?.kind === 'malformed') {
      this.unitsUsed += cost;
      record(200, cost);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(method === 'stream' ? '[{"items": [nonsense]}]' : '{"items": [nonsense]}');
      return;
    }

    switch (method) {
      case 'videos': {
        this.unitsUsed += cost;
        record(200, cost);
        const ids = url.searchParams.getAll('id').flatMap((x) => x.split(','));
        const items = ids.flatMap((id) => {
          const v = this.videos.get(id);
          if (!v) return [];
          const live = Boolean(v.liveChatId);
          const details = live
            ? { activeLiveChatId: v.liveChatId, actualStartTime: v.actualStartTime }
            : v.actualEndTime
              ? { actualStartTime: v.actualStartTime, actualEndTime: v.actualEndTime }
              : { scheduledStartTime: new Date(this.clock.now() + 3_600_000).toISOString() };
          const state = live ? 'live' : v.actualEndTime ? 'none' : 'upcoming';
          return [{ id, snippet: { title: v.title, channelId: v.channelId, publishedAt: v.publishedAt, liveBroadcastContent: state }, liveStreamingDetails: details }];
        });
        return this.json(res, { kind: 'youtube#videoListResponse', items });
      }
      case 'channels': {
        this.unitsUsed += cost;
        record(200, cost);
        const handle = url.searchParams.get('forHandle');
        const id = url.searchParams.get('id');
        const found = [...this.channels.entries()].filter(([cid, c]) => (handle && c.handle.toLowerCase() === (handle.startsWith('@') ? handle : `@${handle}`).toLowerCase()) || cid === id);
        return this.json(res, { kind: 'youtube#channelListResponse', items: found.map(([cid]) => ({ id: cid, contentDetails: { relatedPlaylists: { uploads: `UU${cid.slice(2)}` } } })) });
      }
      case 'playlistItems': {
        this.unitsUsed += cost;
        record(200, cost);
        const playlist = url.searchParams.get('playlistId') ?? '';
        const channelId = `UC${playlist.slice(2)}`;
        const max = Number(url.searchParams.get('maxResults') ?? 5);
        const uploads = [...this.videos.entries()].filter(([, v]) => v.channelId === channelId).reverse().slice(0, max);
        if (!playlist.startsWith('UU') || (uploads.length === 0 && !this.channels.has(channelId))) {
          record(404, 0);
          return this.error(res, 404, 'playlistNotFound', 'youtube.playlistItem');
        }
        return this.json(res, { kind: 'youtube#playlistItemListResponse', items: uploads.map(([id, v]) => ({ id: `pi-${id}`, snippet: { title: v.title, publishedAt: v.publishedAt, resourceId: { videoId: id } }, contentDetails: { videoId: id, videoPublishedAt: v.publishedAt } })) });
      }
      case 'broadcasts': {
        this.unitsUsed += cost;
        record(200, cost);
        const live = [...this.videos.entries()].filter(([, v]) => v.owner && v.liveChatId);
        return this.json(res, { kind: 'youtube#liveBroadcastListResponse', items: live.map(([id, v]) => ({ id, snippet: { liveChatId: v.liveChatId, actualStartTime: v.actualStartTime, title: v.title } })) });
      }
      case 'list':
      case 'stream': {
        const chatId = url.searchParams.get('liveChatId') ?? '';
        const chat = this.chats.get(chatId);
        if (!chat) {
          record(404, 0);
          return this.error(res, 404, 'liveChatNotFound');
        }
        const token = url.searchParams.get('pageToken');
        if (token !== null && !/^tok-\d+$/.test(token)) {
          record(400, 0);
          return this.error(res, 400, 'pageTokenInvalid');
        }
        if (chat.ended && token !== null && Number(token.slice(4)) >= total(chat)) {
          record(403, 0);
          return this.error(res, 403, 'liveChatEnded');
        }
        this.unitsUsed += cost;
        record(200, cost);
        const from = token === null ? Math.max(0, total(chat) - 20) : Math.min(Number(token.slice(4)), total(chat));
        if (method === 'list') return this.json(res, this.page(chatId, from));
        if (fault?.kind === 'stream-error') {
          res.writeHead(200, { 'content-type': 'application/json' });
          const out = new PieceWriter(res, this.pieceRandom, this.pieceMax);
          const error = { error: { code: fault.status, message: fault.reason, errors: [{ message: fault.reason, domain: 'youtube.liveChat', reason: fault.reason }] } };
          out.write(`[${JSON.stringify(this.page(chatId, from))},\n${JSON.stringify(error)}`);
          out.end('\n]');
          return;
        }
        return this.stream(res, chatId, from, fault?.kind === 'cut');
      }
      case 'insert': {
        const parsed = safeJson(body) as { snippet?: { liveChatId?: string; textMessageDetails?: { messageText?: string } } } | undefined;
        const chatId = parsed?.snippet?.liveChatId ?? '';
        const text = parsed?.snippet?.textMessageDetails?.messageText ?? '';
        const chat = this.chats.get(chatId);
        if (!chat) {
          record(404, 0);
          return this.error(res, 404, 'liveChatNotFound');
        }
        if (chat.ended) {
          record(403, 0);
          return this.error(res, 403, 'liveChatEnded');
        }
        if (text.length === 0 || [...text].length > 200) {
          record(400, 0);
          return this.error(res, 400, text.length === 0 ? 'messageTextMissing' : 'messageTooLong');
        }
        const bot = this.opts.botAuthor ?? { channelId: this.opts.botChannelId ?? 'UC-lectern-bot', displayName: 'Lectern Bot' };
        if (this.banned.has(bot.channelId)) {
          record(403, 0);
          return this.error(res, 403, 'forbidden');
        }
        this.unitsUsed += cost;
        record(200, cost);
        this.inserted.push({ at: this.clock.now(), chatId, text });
        const posted = this.post(chatId, bot, text);
        // The insert's answer may come after the message already went out on a stream.
        if (fault?.kind === 'late-answer') await new Promise((r) => setTimeout(r, fault.ms));
        return this.json(res, posted);
      }
    }
  }

  private stream(res: ServerResponse, chatId: string, from: number, cut: boolean): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    const out = new PieceWriter(res, this.pieceRandom, this.pieceMax);
    const first = JSON.stringify(this.page(chatId, from));
    if (cut) {
      out.write(`[${first},\n${first.slice(0, Math.floor(first.length / 2))}`);
      out.whenDrained(() => setTimeout(() => res.destroy(), 5));
      return;
    }
    out.write(`[${first}`);
    const entry = {
      chatId,
      out,
      next: total(this.chats.get(chatId)!),
      close: () => {
        if (!this.streams.delete(entry)) return;
        this.clock.clearTimeout(timer);
        out.end('\n]');
      },
    };
    this.streams.add(entry);
    const timer = this.clock.setTimeout(() => entry.close(), this.opts.streamHoldMs ?? 300_000);
    res.on('close', () => {
      this.streams.delete(entry);
      this.clock.clearTimeout(timer);
    });
    if (this.chats.get(chatId)!.ended) entry.close();
  }

  private readonly codes = new Map<string, { challenge: string; redirect: string; scope: string }>();
  /** Refresh tokens issued through the consent flow. */
  readonly issuedRefresh: string[] = [];

  /** Google's consent page, approved at once: redirects to the loopback with a code. */
  private authorize(url: URL, res: ServerResponse): void {
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(redirect) || url.searchParams.get('code_challenge_method') !== 'S256') {
      res.writeHead(400);
      res.end('bad request');
      return;
    }
    const code = `code-${this.nextToken++}`;
    this.codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirect, scope: url.searchParams.get('scope') ?? '' });
    res.writeHead(302, { location: `${redirect}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}` });
    res.end();
  }

  private token(res: ServerResponse, body: string, record: (status: number, units: number) => void): void {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') === 'authorization_code') {
      const c = this.codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const ok = c && createHash('sha256').update(verifier).digest('base64url') === c.challenge && form.get('redirect_uri') === c.redirect;
      if (!ok) {
        record(400, 0);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      this.codes.delete(form.get('code')!);
      const refresh = `1//sim-linked-${this.nextToken++}`;
      this.issuedRefresh.push(refresh);
      const access = `ya29.sim-${this.nextToken++}`;
      this.accessTokens.set(access, this.clock.now() + (this.opts.accessTokenTtlMs ?? 3_600_000));
      record(200, 0);
      return this.json(res, { access_token: access, refresh_token: refresh, expires_in: 3599, token_type: 'Bearer', scope: c!.scope });
    }
    const refresh = form.get('refresh_token') ?? '';
    if (form.get('grant_type') !== 'refresh_token' || !([...(this.opts.refreshTokens ?? []), ...this.issuedRefresh]).includes(refresh) || this.revoked.has(refresh)) {
      record(400, 0);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }));
      return;
    }
    const access = `ya29.sim-${this.nextToken++}`;
    const ttl = this.opts.accessTokenTtlMs ?? 3_600_000;
    this.accessTokens.set(access, this.clock.now() + ttl);
    record(200, 0);
    this.json(res, { access_token: access, expires_in: Math.floor(ttl / 1000), token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/youtube.force-ssl' });
  }
}

/** Writes a response body in order, whole or in random pieces, one piece per turn of the event loop. */
class PieceWriter {
  private readonly queue: Buffer[] = [];
  private pumping = false;
  private ending: string | undefined;
  private readonly drained: Array<() => void> = [];

  constructor(private readonly res: ServerResponse, private readonly random: (() => number) | undefined, private readonly maxBytes: number) {}

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.random) {
      if (!this.res.destroyed) this.res.write(bytes);
      return;
    }
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(this.random() * this.maxBytes);
      this.queue.push(bytes.subarray(i, i + n));
      i += n;
    }
    this.pump();
  }

  end(text: string): void {
    if (!this.random) {
      this.res.end(text);
      return;
    }
    this.ending = text;
    this.pump();
  }

  whenDrained(fn: () => void): void {
    if (!this.pumping && this.queue.length === 0) fn();
    else this.drained.push(fn);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = () => {
      const piece = this.queue.shift();
      if (piece && !this.res.destroyed) {
        this.res.write(piece);
        setImmediate(step);
        return;
      }
      if (piece) this.queue.length = 0;
      this.pumping = false;
      if (this.ending !== undefined) {
        const t = this.ending;
        this.ending = undefined;
        if (!this.res.destroyed) this.res.end(t);
      }
      for (const fn of this.drained.splice(0)) fn();
    };
    step();
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
