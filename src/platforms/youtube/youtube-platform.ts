import {
  Backoff, LecternError, SeenSet, toError,
  type ChatEvent, type ChatPlatform, type Clock, type ConnectionState, type Guard, type Health, type Logger,
  type OutgoingMessage, type PlatformSignal, type PlatformStatus, type SendLimits, type TimerHandle,
} from '../../core/index.js';
import { CHAT_REASONS, YouTubeApiError, type ListResponse, type YouTubeApi } from './api.js';
import { mapLiveChatMessage } from './map-event.js';
import type { QuotaPlanner } from './quota.js';

/** YouTube's chat limits that matter to the outbox. Replies cost quota, so they are paced slowly
 * enough that answers waiting together go out as one message. */
export const YOUTUBE_LIMITS: SendLimits = { maxLength: 200, perWindow: 10, windowMs: 30_000, minIntervalMs: 3_000, duplicateWindowMs: 30_000 };

/** After the stream endpoint proves unavailable, poll for this long before trying it again. */
const STREAM_RETRY_MS = 10 * 60_000;
/** Ids remembered across restarts (with the page token) so no old command is answered twice. */
const PERSISTED_IDS = 500;

export interface YouTubeSource {
  readonly videoId?: string;
  readonly liveChatId?: string;
  readonly broadcast?: 'mine';
}

export interface YouTubePlatformOptions {
  readonly source: YouTubeSource;
  readonly transport: 'auto' | 'stream' | 'poll';
  readonly waitForLiveMs: number;
  readonly api: YouTubeApi;
  /** Read-only access (an API key) to fall back on when the OAuth refresh token dies. */
  readonly fallbackApi?: YouTubeApi;
  readonly planner: QuotaPlanner;
  /** Small persistent state (page token, recent ids), kept by the store. */
  readonly state: { get(key: string): string | undefined; set(key: string, value: string): void };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  readonly random?: () => number;
}

type Transport = 'stream' | 'poll';

/** YouTube live chat behind `ChatPlatform`: the only code that talks to the Google client. */
export class YouTubePlatform implements ChatPlatform {
  readonly id = 'youtube' as const;
  private readonly eventHandlers: Array<(e: ChatEvent) => void> = [];
  private readonly signalHandlers: Array<(s: PlatformSignal) => void> = [];
  private readonly seen = new SeenSet(20_000);
  private readonly recentIds: string[] = [];
  private readonly insertedIds = new SeenSet(1_000);
  private readonly errorBackoff: Backoff;
  private readonly rateBackoff: Backoff;
  private readonly log: Logger;
  private state: ConnectionState = 'idle';
  private detail: string | undefined;
  private chatId: string | undefined;
  private pageToken: string | undefined;
  private ownChannelId: string | undefined;
  private pollingMs = 5_000;
  private currentIntervalMs = 0;
  private transportNow: Transport = 'stream';
  private streamDisabledUntil = 0;
  private stopped = false;
  private ended = false;
  private loopDone: Promise<void> | undefined;
  private abort = new AbortController();
  private wake: (() => void) | undefined;
  private sleepTimer: TimerHandle | undefined;
  private readonly activity: number[] = [];
  private startedAt = 0;
  private reconnects = 0;
  private connectedAt: number | null = null;
  private lastMessageAt: number | null = null;
  private messagesIn = 0;
  private messagesOut = 0;
  private inFlightCalls = 0;
  private api: YouTubeApi;
  /** Why the platform fell back to read-only, shown until the account is linked again. */
  private authNote: string | undefined;

  constructor(private readonly opts: YouTubePlatformOptions) {
    this.api = opts.api;
    this.log = opts.logger.child({ platform: 'youtube' });
    const random = opts.random ? { random: opts.random } : {};
    this.errorBackoff = new Backoff({ initialMs: 1_000, maxMs: 60_000, ...random });
    this.rateBackoff = new Backoff({ initialMs: 10_000, maxMs: 300_000, ...random });
    this.transportNow = opts.transport === 'poll' ? 'poll' : 'stream';
  }

  onEvent(handler: (e: ChatEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  onSignal(handler: (s: PlatformSignal) => void): void {
    this.signalHandlers.push(handler);
  }

  /** Calls to the API in progress (benchmarks wait for zero before moving fake time). */
  get busy(): boolean {
    return this.inFlightCalls > 0;
  }

  get liveChatId(): string | undefined {
    return this.chatId;
  }

  /**
   * Finds the chat once, then keeps reading in the background. Rejects when the credentials or
   * the video are wrong (nothing to retry); resolves while waiting for the stream to go live.
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.startedAt = this.opts.clock.now();
    this.setState('connecting');
    try {
      await this.findChat();
    } catch (err) {
      const e = await this.fatal(err);
      if (e) throw e;
      // Anything else (network, 5xx) is retried by the loop.
      this.opts.health.report('youtube', err);
      this.log.warn({ reason: err instanceof YouTubeApiError ? err.reason : 'internal' }, 'could not look up the live chat yet; retrying');
    }
    if (this.state === 'failed') return;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.opts.clock.clearTimeout(this.sleepTimer);
    this.wake?.();
    await this.loopDone;
    if (this.state !== 'ended' && this.state !== 'failed') this.setState('stopped');
  }

  private where(): string {
    const s = this.opts.source;
    return s.videoId ? `video ${s.videoId}` : s.liveChatId ? `live chat ${s.liveChatId}` : 'your active broadcast';
  }

  /** Finds the live chat id; leaves it unset (and says so) while the stream is not live yet. */
  private async findChat(): Promise<void> {
    const s = this.opts.source;
    if (s.liveChatId) return this.useChat(s.liveChatId);
    const call = s.videoId ? 'videos' : 'broadcasts';
    if (!this.opts.planner.canRead(call)) return;
    this.opts.planner.spend(call);
    const found = await this.track(s.videoId ? this.api.videoLiveDetails(s.videoId) : this.api.myActiveBroadcast());
    if ('exists' in found && !found.exists) {
      throw new LecternError('PLATFORM_CONNECT_FAILED', `YouTube has no video ${s.videoId}: check youtube.videoId`, { details: { reason: 'videoNotFound' } });
    }
    if (found.liveChatId) return this.useChat(found.liveChatId);
    this.detail = `waiting for ${this.where()} to go live (checking every ${Math.round(this.opts.waitForLiveMs / 1000)} s)`;
    this.setState('connecting', true);
  }

  private useChat(chatId: string): void {
    this.chatId = chatId;
    this.pageToken = this.opts.state.get(`pageToken:${chatId}`);
    const ids = this.opts.state.get(`seen:${chatId}`);
    if (ids) {
      for (const id of JSON.parse(ids) as string[]) {
        this.seen.add(id);
        this.recentIds.push(id);
      }
    }
    this.log.info({ liveChatId: chatId, resumed: Boolean(this.pageToken) }, 'found the live chat');
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.ended) {
      let transport: Transport = 'poll';
      try {
        if (!this.chatId) {
          await this.sleep(this.opts.waitForLiveMs);
          if (!this.stopped) await this.findChat();
          continue;
        }
        transport = this.pickTransport();
        const call = transport === 'stream' ? 'stream' : 'list';
        if (!this.opts.planner.canRead(call)) {
          this.detail = 'YouTube quota for reading is spent; reading resumes when it resets at midnight Pacific time';
          this.setState('reconnecting', true);
          await this.sleep(this.opts.planner.msUntilReset());
          continue;
        }
        const began = this.opts.clock.now();
        if (transport === 'stream') await this.readStream();
        else await this.pollOnce();
        this.errorBackoff.reset();
        this.rateBackoff.reset();
        if (this.ended || this.stopped) break;
        const interval = this.opts.planner.interval(call, transport === 'poll' ? this.pollingMs : 0, this.chatRate(), this.usualRate());
        this.currentIntervalMs = interval;
        const elapsed = this.opts.clock.now() - began;
        await this.sleep(transport === 'poll' ? Math.max(this.pollingMs, interval - elapsed) : Math.max(0, interval - elapsed));
      } catch (err) {
        if (this.stopped) break;
        const delay = await this.onError(err, transport);
        if (delay < 0) break;
        await this.sleep(delay);
      }
    }
  }

  private pickTransport(): Transport {
    const t = this.opts.transport;
    const next: Transport = t === 'poll' ? 'poll' : t === 'stream' ? 'stream' : this.opts.clock.now() >= this.streamDisabledUntil ? 'stream' : 'poll';
    if (next !== this.transportNow) this.log.info({ transport: next }, 'reading transport changed');
    this.transportNow = next;
    return next;
  }

  private async readStream(): Promise<void> {
    this.opts.planner.spend('stream');
    this.abort = new AbortController();
    await this.track(this.api.streamMessages(this.chatId!, this.pageToken, this.abort.signal, (page) => this.processPage(page)));
  }

  private async pollOnce(): Promise<void> {
    this.opts.planner.spend('list');
    const page = await this.track(this.api.listMessages(this.chatId!, this.pageToken));
    this.processPage(page);
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.inFlightCalls++;
    try {
      return await p;
    } finally {
      this.inFlightCalls--;
    }
  }

  private processPage(page: ListResponse): void {
    if (this.stopped) return;
    if (this.state !== 'connected') {
      this.connectedAt = this.opts.clock.now();
      this.detail = undefined;
      this.setState('connected');
    }
    const firstEver = this.pageToken === undefined;
    const now = this.opts.clock.now();
    let fresh = 0;
    for (const item of page.items ?? []) {
      if (!item.id || !this.seen.add(item.id)) continue;
      this.remember(item.id);
      fresh++;
      if (this.insertedIds.has(item.id) || (this.ownChannelId && item.snippet?.authorChannelId === this.ownChannelId)) continue;
      const event = mapLiveChatMessage(item, this.chatId!, now);
      if (!event) continue;
      // The first page without a token is recent history: shown nowhere, answered never.
      if (firstEver && event.time < this.startedAt - 10_000) continue;
      this.messagesIn++;
      this.lastMessageAt = now;
      this.activity.push(now);
      for (const h of this.eventHandlers) h(event);
      if (event.subtype === 'chatEndedEvent') this.endChat('the live chat ended');
    }
    if (typeof page.pollingIntervalMillis === 'number' && page.pollingIntervalMillis > 0) this.pollingMs = page.pollingIntervalMillis;
    if (page.nextPageToken && page.nextPageToken !== this.pageToken) {
      this.pageToken = page.nextPageToken;
      this.opts.state.set(`pageToken:${this.chatId}`, page.nextPageToken);
      if (fresh) this.opts.state.set(`seen:${this.chatId}`, JSON.stringify(this.recentIds));
    }
    if (page.offlineAt) this.endChat('the stream is offline');
  }

  private remember(id: string): void {
    this.recentIds.push(id);
    if (this.recentIds.length > PERSISTED_IDS) this.recentIds.splice(0, this.recentIds.length - PERSISTED_IDS);
  }

  private endChat(detail: string): void {
    if (this.ended) return;
    this.ended = true;
    this.abort.abort();
    this.detail = detail;
    this.setState('ended');
    this.log.info({ liveChatId: this.chatId }, detail);
  }

  /** Messages per minute since reading began: what is usual for this stream. */
  private usualRate(): number {
    const minutes = (this.opts.clock.now() - (this.connectedAt ?? this.opts.clock.now())) / 60_000;
    return minutes < 2 ? this.chatRate() : this.messagesIn / minutes;
  }

  /** Messages per minute over the last two minutes, for pacing. */
  private chatRate(): number {
    const since = this.opts.clock.now() - 120_000;
    while (this.activity.length && this.activity[0]! < since) this.activity.shift();
    return this.activity.length / 2;
  }

  /** Errors that end the platform for good. Returns the error to surface, or undefined. */
  private async fatal(err: unknown): Promise<LecternError | undefined> {
    const e = err instanceof YouTubeApiError ? err : err instanceof LecternError ? err : new LecternError('INTERNAL', toError(err).message, { cause: err });
    const reason = e instanceof YouTubeApiError ? e.reason : (e.details?.['reason'] as string | undefined) ?? e.code;
    const messages: Record<string, string> = {
      liveChatNotFound: `YouTube has no live chat for ${this.where()} (ended, or the id is wrong)`,
      liveChatDisabled: `the live chat of ${this.where()} is disabled`,
      forbidden: `YouTube does not let these credentials read the live chat of ${this.where()}`,
      authError: 'YouTube rejected the credentials: check YOUTUBE_API_KEY, or run `lectern auth youtube` again',
      invalid_grant: 'YouTube refused to refresh the OAuth token (revoked, or expired: consent screens left in "Testing" issue refresh tokens that die after 7 days); run `lectern auth youtube` again',
      videoNotFound: e.message,
    };
    const text = messages[reason];
    if (!text) return undefined;
    if (reason === 'invalid_grant' && this.opts.fallbackApi && this.api !== this.opts.fallbackApi) {
      // Keep reading with the API key; replies stop until the account is linked again.
      this.api = this.opts.fallbackApi;
      const e2 = new LecternError('PLATFORM_AUTH_FAILED', `${text}. Reading goes on with YOUTUBE_API_KEY, read-only.`, { cause: e, details: { reason } });
      this.detail = e2.message;
      this.authNote = e2.message;
      this.opts.health.report('youtube', e2);
      this.log.error({ code: e2.code, reason }, e2.message);
      return undefined;
    }
    const out = new LecternError(reason === 'authError' || reason === 'invalid_grant' ? 'PLATFORM_AUTH_FAILED' : 'PLATFORM_CONNECT_FAILED', text, { cause: e, details: { reason } });
    this.detail = text;
    this.setState('failed');
    this.opts.health.report('youtube', out);
    this.log.error({ code: out.code, reason }, text);
    return out;
  }

  /** Decides what an error means; returns the delay before the next attempt, or -1 to stop. */
  private async onError(err: unknown, transport: Transport): Promise<number> {
    const e = err instanceof YouTubeApiError ? err : undefined;
    const reason = e?.reason ?? 'internal';
    this.log.warn({ status: e?.status, reason, transport }, 'youtube call failed');
    if (reason === 'liveChatEnded') {
      this.endChat('the live chat ended');
      return -1;
    }
    if (await this.fatal(err)) return -1;
    this.opts.health.report('youtube', e ?? err);
    if (reason === 'quotaExceeded') {
      this.opts.planner.exhausted();
      this.detail = 'YouTube says the quota is spent; reading resumes when it resets at midnight Pacific time';
      this.setState('reconnecting', true);
      return this.opts.planner.msUntilReset();
    }
    if (reason === 'rateLimitExceeded') {
      this.detail = 'YouTube says the chat is read too often; slowing down';
      this.setState('reconnecting', true);
      return this.rateBackoff.next();
    }
    if (reason === 'pageTokenInvalid') {
      // Start again from recent chat; remembered ids keep old commands from running twice.
      this.pageToken = undefined;
      return 0;
    }
    if (transport === 'stream' && this.opts.transport === 'auto' && !CHAT_REASONS.has(reason) && reason !== 'streamCut') {
      this.streamDisabledUntil = this.opts.clock.now() + STREAM_RETRY_MS;
      this.log.warn({ reason, retryInMs: STREAM_RETRY_MS }, 'stream endpoint unavailable; polling instead');
      return 0;
    }
    this.reconnects++;
    this.detail = `YouTube ${reason}; retrying`;
    this.setState('reconnecting', true);
    return this.errorBackoff.next();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      this.sleepTimer = this.opts.clock.setTimeout(() => this.wake?.(), ms);
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!this.api.canWrite) throw new LecternError('PLATFORM_READ_ONLY', 'YouTube is read-only: only an API key is configured');
    if (!this.opts.planner.canReply()) throw new LecternError('PLATFORM_READ_ONLY', 'YouTube replies are off until the quota resets: the reply reserve is spent');
    if (!this.chatId || this.ended || this.state !== 'connected') throw new LecternError('PLATFORM_SEND_FAILED', 'YouTube chat is not connected');
    this.opts.planner.spend('insert');
    try {
      const m = await this.track(this.api.insertMessage(this.chatId, message.text));
      if (m.id) {
        this.insertedIds.add(m.id);
        this.seen.add(m.id);
      }
      if (m.snippet?.authorChannelId) this.ownChannelId = m.snippet.authorChannelId;
      this.messagesOut++;
    } catch (err) {
      if (err instanceof YouTubeApiError && err.reason === 'quotaExceeded') this.opts.planner.exhausted();
      if (err instanceof YouTubeApiError && err.reason === 'liveChatEnded') this.endChat('the live chat ended');
      throw err instanceof LecternError ? err : new LecternError('PLATFORM_SEND_FAILED', undefined, { cause: err });
    }
  }

  limits(): SendLimits {
    return YOUTUBE_LIMITS;
  }

  status(): PlatformStatus {
    const q = this.opts.planner.status(this.currentIntervalMs || this.pollingMs, this.transportNow === 'stream' ? 'stream' : 'list');
    return {
      platform: 'youtube',
      state: this.state,
      channel: this.chatId ?? this.opts.source.videoId ?? this.opts.source.liveChatId ?? 'mine',
      canSend: this.api.canWrite && this.state === 'connected' && !q.replyExhausted,
      botRoles: [],
      lastMessageAt: this.lastMessageAt,
      connectedAt: this.connectedAt,
      reconnects: this.reconnects,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      transport: this.transportNow,
      quota: { dailyUnits: q.dailyUnits, used: q.used, remaining: q.remaining, replyRemaining: q.replyRemaining, projectedMsLeft: q.projectedMsLeft, resetsAt: q.resetsAt },
      ...(this.detail ? { detail: this.detail } : this.authNote ? { detail: this.authNote } : this.api.canWrite ? {} : { detail: 'read-only: only an API key is configured' }),
    };
  }

  private setState(state: ConnectionState, force = false): void {
    if (this.state === state && !force) return;
    this.state = state;
    for (const h of this.signalHandlers) h({ type: 'status', status: this.status() });
  }
}
