import {
  Backoff, LecternError, PlatformState, toError,
  type ChatEvent, type ChatPlatform, type Clock, type Guard, type Health, type Logger,
  type OutgoingMessage, type PlatformSignal, type PlatformStatus, type SendLimits, type TimerHandle,
} from '../../core/index.js';
import { YouTubeApiError, type ListResponse, type LiveVideo, type YouTubeApi } from './api.js';
import { ChatFinder, type YouTubeSource } from './chat-finder.js';
import { decide, type Decision } from './error-policy.js';
import { mapLiveChatMessage } from './map-event.js';
import type { QuotaPlanner } from './quota.js';
import { ReadPosition, type PositionState } from './read-position.js';

/** YouTube's chat limits that matter to the outbox. Replies cost quota, so they are paced slowly
 * enough that answers waiting together go out as one message. */
export const YOUTUBE_LIMITS: SendLimits = { maxLength: 200, perWindow: 10, windowMs: 30_000, minIntervalMs: 3_000, duplicateWindowMs: 30_000 };

/** After YouTube refuses the bot's messages (banned from the chat...), try again after this long. */
const SEND_RETRY_MS = 10 * 60_000;

export type { YouTubeSource } from './chat-finder.js';

export interface YouTubePlatformOptions {
  readonly source: YouTubeSource;
  readonly transport: 'auto' | 'stream' | 'poll';
  readonly waitForLiveMs: number;
  readonly api: YouTubeApi;
  /** Read-only access (an API key) to fall back on when the OAuth refresh token dies. */
  readonly fallbackApi?: YouTubeApi;
  readonly planner: QuotaPlanner;
  /** Small persistent state (page token, recent ids, own ids), kept by the store. */
  readonly state: PositionState;
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
  private readonly ps = new PlatformState(() => this.status());
  private readonly errorBackoff: Backoff;
  private readonly rateBackoff: Backoff;
  private readonly log: Logger;
  private position: ReadPosition | undefined;
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
  private inFlightCalls = 0;
  private api: YouTubeApi;
  /** Why the platform fell back to read-only, shown until the account is linked again. */
  private authNote: string | undefined;
  private sendBlock: { readonly reason: string; readonly until: number } | undefined;
  private readonly finder: ChatFinder;

  constructor(private readonly opts: YouTubePlatformOptions) {
    this.api = opts.api;
    this.finder = new ChatFinder(opts.source, opts.planner);
    this.log = opts.logger.child({ platform: 'youtube' });
    const random = opts.random ? { random: opts.random } : {};
    this.errorBackoff = new Backoff({ initialMs: 1_000, maxMs: 60_000, ...random });
    this.rateBackoff = new Backoff({ initialMs: 10_000, maxMs: 300_000, ...random });
    this.transportNow = opts.transport === 'poll' ? 'poll' : 'stream';
  }

  onEvent(handler: (e: ChatEvent) => void): void {
    this.ps.onEvent(handler);
  }

  onSignal(handler: (s: PlatformSignal) => void): void {
    this.ps.onSignal(handler);
  }

  /** Calls to the API in progress (benchmarks wait for zero before moving fake time). */
  get busy(): boolean {
    return this.inFlightCalls > 0;
  }

  get liveChatId(): string | undefined {
    return this.position?.chatId;
  }

  /**
   * Finds the chat once, then keeps reading in the background. Rejects when the credentials or
   * the video are wrong (nothing to retry); resolves while waiting for the stream to go live.
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.startedAt = this.opts.clock.now();
    this.ps.set('connecting');
    try {
      await this.findChat();
    } catch (err) {
      const d = this.decideFor(err, 'poll');
      if (d.action === 'fail') throw this.fail(d);
      if (d.action === 'fallbackToKey') this.fallBackToKey(d.detail);
      // Anything else (network, 5xx) is retried by the loop.
      this.opts.health.report('youtube', err);
      this.log.warn({ reason: err instanceof YouTubeApiError ? err.reason : 'internal' }, 'could not look up the live chat yet; retrying');
    }
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.opts.clock.clearTimeout(this.sleepTimer);
    this.wake?.();
    await this.loopDone;
    if (this.ps.state !== 'ended' && this.ps.state !== 'failed') this.ps.set('stopped');
  }

  private where(): string {
    return this.finder.where();
  }

  /** Finds the live chat; leaves it unset (and says so) while nothing is live yet. */
  private async findChat(): Promise<void> {
    const found = await this.track(this.finder.check(this.api));
    if (found?.liveChatId) return this.useChat(found);
    const units = this.finder.unitsPerCheck();
    this.ps.detail = `waiting for ${this.where()} to go live (checking every ${Math.round(this.opts.waitForLiveMs / 1000)} s, ${units} quota unit${units === 1 ? '' : 's'} a check)`;
    this.ps.set('connecting', true);
  }

  private useChat(video: LiveVideo): void {
    this.position = new ReadPosition(this.opts.state, video.liveChatId!);
    // What this chat said before it was found is history: never answered.
    this.startedAt = this.opts.clock.now();
    this.log.info({ liveChatId: video.liveChatId, videoId: video.videoId, resumed: this.position.resumed }, 'found the live chat');
    if (!video.videoId) return;
    this.ps.signal({
      type: 'live',
      live: { state: 'live', videoId: video.videoId, title: video.title, vodUrl: `https://youtu.be/${video.videoId}?t={seconds}s`, ...(video.startedAt ? { startedAt: video.startedAt } : {}) },
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.ps.state !== 'failed') {
      if (this.ended) {
        // A channel (or your broadcasts) goes live again another day: wait for the next stream.
        if (!this.finder.followsChannel) break;
        this.ended = false;
        this.position = undefined;
      }
      let transport: Transport = 'poll';
      try {
        if (!this.position) {
          await this.sleep(this.opts.waitForLiveMs);
          if (!this.stopped) await this.findChat();
          continue;
        }
        transport = this.pickTransport();
        const call = transport === 'stream' ? 'stream' : 'list';
        if (!this.opts.planner.canRead(call)) {
          this.ps.detail = 'YouTube quota for reading is spent; reading resumes when it resets at midnight Pacific time';
          this.ps.set('reconnecting', true);
          await this.sleep(this.opts.planner.msUntilReset());
          continue;
        }
        const began = this.opts.clock.now();
        if (transport === 'stream') await this.readStream(this.position);
        else await this.pollOnce(this.position);
        this.errorBackoff.reset();
        this.rateBackoff.reset();
        if (this.ended || this.stopped) break;
        const interval = this.opts.planner.interval(call, transport === 'poll' ? this.pollingMs : 0, this.chatRate(), this.usualRate());
        this.currentIntervalMs = interval;
        const elapsed = this.opts.clock.now() - began;
        await this.sleep(transport === 'poll' ? Math.max(this.pollingMs, interval - elapsed) : Math.max(0, interval - elapsed));
      } catch (err) {
        if (this.stopped) break;
        await this.sleep(this.onError(err, transport));
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

  private async readStream(pos: ReadPosition): Promise<void> {
    this.opts.planner.spend('stream');
    this.abort = new AbortController();
    await this.track(this.api.streamMessages(pos.chatId, pos.pageToken, this.abort.signal, (page) => this.processPage(pos, page)));
  }

  private async pollOnce(pos: ReadPosition): Promise<void> {
    this.opts.planner.spend('list');
    this.processPage(pos, await this.track(this.api.listMessages(pos.chatId, pos.pageToken)));
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.inFlightCalls++;
    try {
      return await p;
    } finally {
      this.inFlightCalls--;
    }
  }

  private processPage(pos: ReadPosition, page: ListResponse): void {
    if (this.stopped) return;
    if (this.ps.state !== 'connected') {
      this.ps.connectedAt = this.opts.clock.now();
      this.ps.detail = undefined;
      this.ps.set('connected');
    }
    const firstEver = !pos.resumed;
    const now = this.opts.clock.now();
    let fresh = 0;
    for (const item of page.items ?? []) {
      const type = typeof item.snippet?.type === 'string' ? item.snippet.type : '';
      if (typeof item.id !== 'string' || !item.id || !pos.firstSeen(item.id, type)) continue;
      fresh++;
      const text = item.snippet?.textMessageDetails?.messageText ?? '';
      if (type === 'textMessageEvent' && pos.isOwn(item.id, text, item.snippet?.authorChannelId ?? '')) continue;
      const event = mapLiveChatMessage(item, pos.chatId, now);
      if (!event) continue;
      // The first page without a token is recent history: shown nowhere, answered never.
      if (firstEver && event.time < this.startedAt - 10_000) continue;
      this.activity.push(now);
      this.ps.emit(event, now);
      if (event.subtype === 'chatEndedEvent') this.endChat('the live chat ended');
    }
    if (typeof page.pollingIntervalMillis === 'number' && page.pollingIntervalMillis > 0) this.pollingMs = page.pollingIntervalMillis;
    pos.advance(page.nextPageToken ?? undefined, fresh);
    if (page.offlineAt) this.endChat('the stream is offline');
  }

  private endChat(detail: string): void {
    if (this.ended) return;
    this.ended = true;
    this.abort.abort();
    this.ps.detail = this.finder.followsChannel ? `${detail}; waiting for the next live stream of ${this.where()}` : detail;
    this.ps.set('ended');
    this.log.info({ liveChatId: this.position?.chatId }, detail);
    this.ps.signal({ type: 'live', live: { state: 'offline' } });
  }

  /** Messages per minute since reading began: what is usual for this stream. */
  private usualRate(): number {
    const minutes = (this.opts.clock.now() - (this.ps.connectedAt ?? this.opts.clock.now())) / 60_000;
    return minutes < 2 ? this.chatRate() : this.ps.messagesIn / minutes;
  }

  /** Messages per minute over the last two minutes, for pacing. */
  private chatRate(): number {
    const since = this.opts.clock.now() - 120_000;
    while (this.activity.length && this.activity[0]! < since) this.activity.shift();
    return this.activity.length / 2;
  }

  private decideFor(err: unknown, transport: Transport): Decision {
    const reason = err instanceof YouTubeApiError ? err.reason : 'internal';
    const canFallBackToKey = Boolean(this.opts.fallbackApi && this.api !== this.opts.fallbackApi);
    return decide(reason, { transport, mode: this.opts.transport, canFallBackToKey, where: this.where() });
  }

  private fail(d: Extract<Decision, { action: 'fail' }>): LecternError {
    const err = new LecternError(d.auth ? 'PLATFORM_AUTH_FAILED' : 'PLATFORM_CONNECT_FAILED', d.detail);
    this.ps.detail = d.detail;
    this.ps.set('failed');
    this.opts.health.report('youtube', err);
    this.log.error({ code: err.code }, d.detail);
    return err;
  }

  /** Keep reading with the API key; replies stop until the account is linked again. */
  private fallBackToKey(detail: string): void {
    this.api = this.opts.fallbackApi!;
    this.ps.detail = this.authNote = detail;
    this.opts.health.report('youtube', new LecternError('PLATFORM_AUTH_FAILED', detail));
    this.log.error({ code: 'PLATFORM_AUTH_FAILED' }, detail);
  }

  /** Carries out the error policy; returns how long to wait before the next attempt. */
  private onError(err: unknown, transport: Transport): number {
    const e = err instanceof YouTubeApiError ? err : undefined;
    this.log.warn({ status: e?.status, reason: e?.reason ?? 'internal', transport }, 'youtube call failed');
    const d = this.decideFor(err, transport);
    if (d.action !== 'end' && d.action !== 'fail') this.opts.health.report('youtube', e ?? err);
    switch (d.action) {
      case 'end':
        this.endChat(d.detail);
        return 0;
      case 'fail':
        this.fail(d);
        return 0;
      case 'fallbackToKey':
        this.fallBackToKey(d.detail);
        return 0;
      case 'resetCursor':
        this.position?.reset();
        return 0;
      case 'pollFor':
        this.streamDisabledUntil = this.opts.clock.now() + d.ms;
        this.log.warn({ retryInMs: d.ms }, 'stream endpoint unavailable; polling instead');
        return 0;
      case 'waitForReset':
        this.opts.planner.exhausted();
        this.ps.detail = d.detail;
        this.ps.set('reconnecting', true);
        return this.opts.planner.msUntilReset();
      case 'backoff':
        if (d.which === 'error') this.ps.reconnects++;
        this.ps.detail = d.detail;
        this.ps.set('reconnecting', true);
        return d.which === 'rate' ? this.rateBackoff.next() : this.errorBackoff.next();
    }
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
    const pos = this.position;
    if (!pos || this.ended || this.ps.state !== 'connected') throw new LecternError('PLATFORM_SEND_FAILED', 'YouTube chat is not connected');
    const blocked = this.blocked();
    if (blocked) throw new LecternError('PLATFORM_SEND_REFUSED', blocked);
    this.opts.planner.spend('insert');
    pos.sending(message.text);
    let sent: { id?: string | null; snippet?: { authorChannelId?: string | null } } | undefined;
    try {
      sent = await this.track(this.api.insertMessage(pos.chatId, message.text));
      this.ps.messagesOut++;
    } catch (err) {
      throw this.onSendError(err);
    } finally {
      pos.sent(message.text, sent?.id ?? undefined, sent?.snippet?.authorChannelId ?? undefined);
    }
  }

  private onSendError(err: unknown): LecternError {
    const reason = err instanceof YouTubeApiError ? err.reason : '';
    if (reason === 'quotaExceeded') this.opts.planner.exhausted();
    if (reason === 'liveChatEnded') this.endChat('the live chat ended');
    if (reason === 'forbidden' || reason === 'liveChatDisabled') {
      // The bot's account may not post here (banned from the chat, or chat turned off): stop
      // trying for a while, keep reading, and say what to do.
      const detail = reason === 'forbidden'
        ? 'YouTube refuses the bot\'s messages (forbidden): the signed-in account may be banned or hidden from this chat; unban it or make it a moderator'
        : 'YouTube refuses messages: the live chat is disabled';
      this.sendBlock = { reason: detail, until: this.opts.clock.now() + SEND_RETRY_MS };
      const e = new LecternError('PLATFORM_SEND_REFUSED', detail, { cause: err });
      this.opts.health.report('youtube.send', e);
      this.log.error({ code: e.code, reason }, detail);
      this.ps.set(this.ps.state, true);
      return e;
    }
    return err instanceof LecternError ? err : new LecternError('PLATFORM_SEND_FAILED', undefined, { cause: err });
  }

  private blocked(): string | undefined {
    if (this.sendBlock && this.opts.clock.now() >= this.sendBlock.until) this.sendBlock = undefined;
    return this.sendBlock?.reason;
  }

  limits(): SendLimits {
    return YOUTUBE_LIMITS;
  }

  status(): PlatformStatus {
    const q = this.opts.planner.status(this.currentIntervalMs || this.pollingMs, this.transportNow === 'stream' ? 'stream' : 'list');
    const blocked = this.api.canWrite ? this.blocked() : undefined;
    const detail = this.ps.detail ?? blocked ?? this.authNote ?? (this.api.canWrite ? undefined : 'read-only: only an API key is configured');
    return {
      platform: 'youtube',
      channel: this.position?.chatId ?? this.opts.source.videoId ?? this.opts.source.liveChatId ?? 'mine',
      ...this.ps.counters(),
      canSend: this.api.canWrite && this.ps.state === 'connected' && !q.replyExhausted && !blocked,
      botRoles: [],
      transport: this.transportNow,
      quota: { dailyUnits: q.dailyUnits, used: q.used, remaining: q.remaining, replyRemaining: q.replyRemaining, projectedMsLeft: q.projectedMsLeft, resetsAt: q.resetsAt },
      ...(detail ? { detail } : {}),
      ...(blocked ? { sendBlocked: blocked } : {}),
    };
  }
}
