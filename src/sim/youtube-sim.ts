import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';
import { PieceWriter, readBody, safeJson, seededRandom } from './http-body.js';
import { GoogleOAuthSim } from './google-oauth-sim.js';
import { catalogue, type SimAuthor } from './youtube-sim-resources.js';
import { total, YouTubeWorld } from './youtube-sim-world.js';

export type { SimAuthor } from './youtube-sim-resources.js';

export type YouTubeMethod = 'videos' | 'broadcasts' | 'channels' | 'playlistItems' | 'list' | 'stream' | 'insert' | 'delete' | 'token';

export type YouTubeFault =
  | { kind: 'http'; status: number; reason?: string; domain?: string }
  | { kind: 'malformed' }
  | { kind: 'cut' }
  | { kind: 'slow'; ms: number }
  /** A stream whose array carries an error object as an element, then ends. */
  | { kind: 'stream-error'; status: number; reason: string }
  /** An insert whose message is posted (and streamed) at once, but whose answer comes `ms` later. */
  | { kind: 'late-answer'; ms: number };

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

const COSTS: Record<YouTubeMethod, number> = { videos: 1, broadcasts: 1, channels: 1, playlistItems: 1, list: 5, stream: 5, insert: 20, delete: 20, token: 0 };

/**
 * The YouTube Data API on loopback: videos.list, liveBroadcasts.list, liveChatMessages list,
 * stream and insert, and the OAuth token endpoint; per-call quota with a 403 `quotaExceeded`
 * once spent; and injected faults (HTTP errors with any reason, malformed JSON, a stream cut in
 * the middle of an object, slow answers).
 */
export class YouTubeSim extends YouTubeWorld {
  private server: Server | undefined;
  private readonly oauth: GoogleOAuthSim;
  private readonly faults: Array<{ method: YouTubeMethod; fault: YouTubeFault }> = [];
  private readonly streams = new Set<{ chatId: string; out: PieceWriter; next: number; close: () => void }>();
  private readonly pieceRandom: (() => number) | undefined;
  readonly calls: CallRecord[] = [];
  readonly inserted: Array<{ at: number; chatId: string; text: string }> = [];
  unitsUsed = 0;
  quotaErrors = 0;
  dailyUnits: number;

  constructor(private readonly opts: YouTubeSimOptions = {}) {
    super(opts.clock ?? systemClock, opts.pollingIntervalMillis ?? 5_000);
    this.oauth = new GoogleOAuthSim(this.clock, opts);
    this.dailyUnits = opts.dailyUnits ?? 10_000;
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

  /** Queues a fault for the next call of `method`. */
  inject(method: YouTubeMethod, fault: YouTubeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ method, fault });
  }

  revokeAccessTokens(): void {
    this.oauth.revokeAccessTokens();
  }

  /** Refresh tokens Google has revoked. */
  get revoked(): Set<string> {
    return this.oauth.revoked;
  }

  /** Refresh tokens issued through the consent flow. */
  get issuedRefresh(): readonly string[] {
    return this.oauth.issuedRefresh;
  }

  protected override changed(chatId: string, always = false): void {
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
    if (bearer) return this.oauth.valid(bearer);
    if (needOAuth) return false;
    const key = url.searchParams.get('key');
    return key !== null && (this.opts.apiKeys ?? []).includes(key);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const p = url.pathname.replace(/\/+$/, '');
    const method: YouTubeMethod | undefined =
      p === '/token'
        ? 'token'
        : p === '/youtube/v3/videos'
          ? 'videos'
          : p === '/youtube/v3/liveBroadcasts'
            ? 'broadcasts'
            : p === '/youtube/v3/channels'
              ? 'channels'
              : p === '/youtube/v3/playlistItems'
                ? 'playlistItems'
                : p === '/youtube/v3/liveChat/messages/stream'
                  ? 'stream'
                  : p === '/youtube/v3/liveChat/messages'
                    ? req.method === 'POST'
                      ? 'insert'
                      : req.method === 'DELETE'
                        ? 'delete'
                        : 'list'
                    : undefined;
    if (p === '/o/oauth2/v2/auth') return this.oauth.authorize(url, res);
    if (!method) return this.error(res, 404, 'notFound', 'global');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const record = (status: number, units: number) => this.calls.push({ method, at: this.clock.now(), status, units });
    if (method === 'token') return this.oauth.token(res, body, record);

    const faultIndex = this.faults.findIndex((f) => f.method === method);
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0]!.fault : undefined;
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'http') {
      record(fault.status, 0);
      return this.error(
        res,
        fault.status,
        fault.reason ?? 'backendError',
        fault.domain ?? (fault.reason === 'quotaExceeded' ? 'youtube.quota' : 'youtube.liveChat'),
      );
    }
    if (!this.authorised(req, url, method === 'insert' || method === 'delete' || method === 'broadcasts')) {
      record(401, 0);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(
        JSON.stringify({
          error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ domain: 'global', reason: 'authError' }] },
        }),
      );
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

    if (method === 'videos' || method === 'channels' || method === 'playlistItems' || method === 'broadcasts') {
      // Every call costs its units, a call that finds nothing included (as YouTube documents).
      const answer = catalogue(method, url, this.videos, this.channels, this.clock.now());
      this.unitsUsed += cost;
      if ('error' in answer) {
        record(answer.status, cost);
        return this.error(res, answer.status, answer.error, answer.domain);
      }
      record(200, cost);
      return this.json(res, answer.body);
    }
    switch (method) {
      case 'delete': {
        const answer = this.deleteByBot(
          url.searchParams.get('id') ?? '',
          this.opts.botAuthor ?? { channelId: this.opts.botChannelId ?? 'UC-lectern-bot', displayName: 'Lectern Bot' },
        );
        if (answer !== 204) {
          record(answer === 'liveChatMessageNotFound' ? 404 : 403, 0);
          return this.error(res, answer === 'liveChatMessageNotFound' ? 404 : 403, answer);
        }
        this.unitsUsed += cost;
        record(204, cost);
        res.writeHead(204);
        res.end();
        return;
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
          const error = {
            error: { code: fault.status, message: fault.reason, errors: [{ message: fault.reason, domain: 'youtube.liveChat', reason: fault.reason }] },
          };
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
}
