import {
  Backoff,
  LecternError,
  PlatformState,
  Sleeper,
  toError,
  type ChatEvent,
  type ChatPlatform,
  type Clock,
  type Guard,
  type Health,
  type Logger,
  type OutgoingMessage,
  type PlatformSignal,
  type PlatformStatus,
  type SendLimits,
  type TimerHandle,
} from '../../core/index.js';
import { YouTubeApiError, type ListResponse, type LiveVideo, type YouTubeApi } from './api.js';
import { ChatFinder, liveSignal, type YouTubeSource } from './chat-finder.js';
import { decide, type Decision } from './error-policy.js';
import type { QuotaPlanner } from './quota.js';
import { newEvents, ReadPosition, type PositionState } from './read-position.js';
import { ReadPacing, type Transport } from './pacing.js';
import { YouTubeSender } from './sender.js';
import type { YouTubePlatformOptions } from './options.js';

export type { YouTubePlatformOptions } from './options.js';

/** YouTube's chat limits that matter to the outbox. Replies cost quota, so they are paced slowly
 * enough that answers waiting together go out as one message. */
export const YOUTUBE_LIMITS: SendLimits = { maxLength: 200, perWindow: 10, windowMs: 30_000, minIntervalMs: 3_000, duplicateWindowMs: 30_000 };

export type { YouTubeSource } from './chat-finder.js';

/** YouTube live chat behind `ChatPlatform`: the only code that talks to the Google client. */
export class YouTubePlatform implements ChatPlatform {
  readonly id = 'youtube' as const;
  private readonly ps = new PlatformState(() => this.status());
  private readonly errorBackoff: Backoff;
  private readonly rateBackoff: Backoff;
  private readonly log: Logger;
  private position: ReadPosition | undefined;
  private readonly pacing: ReadPacing;
  private stopped = false;
  private ended = false;
  private loopDone: Promise<void> | undefined;
  private abort = new AbortController();
  private readonly sleeper: Sleeper;
  private startedAt = 0;
  private inFlightCalls = 0;
  private api: YouTubeApi;
  /** Why the platform fell back to read-only, shown until the account is linked again. */
  private authNote: string | undefined;
  private readonly sender: YouTubeSender;
  private readonly finder: ChatFinder;

  constructor(private readonly opts: YouTubePlatformOptions) {
    this.api = opts.api;
    this.finder = new ChatFinder(opts.source, opts.planner);
    this.sleeper = new Sleeper(opts.clock);
    this.log = opts.logger.child({ platform: 'youtube' });
    this.sender = new YouTubeSender({
      planner: opts.planner,
      clock: opts.clock,
      health: opts.health,
      log: this.log,
      host: {
        api: () => this.api,
        chat: () => (this.ended || this.ps.state !== 'connected' ? undefined : this.position),
        track: (p) => this.track(p),
        endChat: (detail) => this.endChat(detail),
        sent: () => this.ps.messagesOut++,
        refused: () => this.ps.set(this.ps.state, true),
      },
    });
    const random = opts.random ? { random: opts.random } : {};
    this.errorBackoff = new Backoff({ initialMs: 1_000, maxMs: 60_000, ...random });
    this.rateBackoff = new Backoff({ initialMs: 10_000, maxMs: 300_000, ...random });
    this.pacing = new ReadPacing({ mode: opts.transport, clock: opts.clock, planner: opts.planner, log: this.log });
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
    this.sleeper.wake();
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
    this.ps.detail = this.finder.waiting(this.opts.waitForLiveMs);
    this.ps.set('connecting', true);
  }

  private useChat(video: LiveVideo): void {
    this.position = new ReadPosition(this.opts.state, video.liveChatId!);
    // What this chat said before it was found is history: never answered.
    this.startedAt = this.opts.clock.now();
    this.log.info({ liveChatId: video.liveChatId, videoId: video.videoId, resumed: this.position.resumed }, 'found the live chat');
    const live = liveSignal(video);
    if (live) this.ps.signal(live);
    this.finder.found(video, this.opts.clock.now());
    if (video.title) this.ps.signal({ type: 'title', title: video.title });
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
        transport = this.pacing.pick();
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
        if (this.stopped) break;
        // Ended: the top of the loop waits for the channel's next stream (or stops, for one video).
        if (this.ended) continue;
        const title = await this.track(this.finder.titleChange(this.api, this.opts.clock.now()));
        if (title) this.ps.signal({ type: 'title', title });
        await this.sleep(this.pacing.wait(transport, began, this.ps.connectedAt ?? began, this.ps.messagesIn));
      } catch (err) {
        if (this.stopped) break;
        await this.sleep(this.onError(err, transport));
      }
    }
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
    const now = this.opts.clock.now();
    // The first page without a token is recent history: shown nowhere, answered never.
    for (const event of newEvents(pos, page, now, this.startedAt - 10_000)) {
      this.pacing.message(now);
      this.ps.emit(event, now);
      if (event.subtype === 'chatEndedEvent') this.endChat('the live chat ended');
    }
    this.pacing.page(page.pollingIntervalMillis);
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
        this.pacing.pollFor(d.ms);
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
    return this.stopped ? Promise.resolve() : this.sleeper.sleep(ms);
  }

  send(message: OutgoingMessage): Promise<void> {
    return this.sender.send(message);
  }

  private blocked(): string | undefined {
    return this.sender.blocked();
  }

  limits(): SendLimits {
    return YOUTUBE_LIMITS;
  }

  status(): PlatformStatus {
    const q = this.opts.planner.status(this.pacing.currentInterval(), this.pacing.transport === 'stream' ? 'stream' : 'list');
    const blocked = this.api.canWrite ? this.blocked() : undefined;
    const detail = this.ps.detail ?? blocked ?? this.authNote ?? (this.api.canWrite ? undefined : 'read-only: only an API key is configured');
    return {
      platform: 'youtube',
      channel: this.position?.chatId ?? this.opts.source.videoId ?? this.opts.source.liveChatId ?? this.opts.source.channelId ?? 'mine',
      ...this.ps.counters(),
      canSend: this.api.canWrite && this.ps.state === 'connected' && !q.replyExhausted && !blocked,
      botRoles: [],
      transport: this.pacing.transport,
      quota: {
        dailyUnits: q.dailyUnits,
        used: q.used,
        remaining: q.remaining,
        replyRemaining: q.replyRemaining,
        projectedMsLeft: q.projectedMsLeft,
        resetsAt: q.resetsAt,
      },
      ...(detail ? { detail } : {}),
      ...(blocked ? { sendBlocked: blocked } : {}),
    };
  }
}
