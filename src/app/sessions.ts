import type { Clock, LiveInfo, Logger, PlatformId } from '../core/index.js';
import type { Store, StreamRow } from '../store/index.js';

/**
 * The stream session the bot is in. Without live status from any platform, a session is a run of
 * the process (resumed when the last one showed life within `resumeWithinMs`). Where a platform
 * says when it goes live and offline (YouTube's live details, Twitch's Helix), a session runs from
 * going live to going offline: offline, the service keeps running and a new session begins when a
 * platform goes live again. A platform that reports a different broadcast than the one this
 * session recorded also begins a new session.
 */
export class StreamSessions {
  private stream: StreamRow | undefined;
  /** Platforms live now in this session, and the broadcast each reported. */
  private readonly live = new Map<PlatformId, string | undefined>();
  private endedByPlatforms = false;
  private readonly listeners: Array<(s: StreamRow) => void> = [];

  constructor(private readonly opts: { readonly store: Store; readonly clock: Clock; readonly resumeWithinMs: number; readonly logger: Logger }) {}

  /** The session now (after `open`). While offline between broadcasts, the one that just ended. */
  get current(): StreamRow {
    if (!this.stream) throw new Error('stream session used before it was opened');
    return this.stream;
  }

  /** Whether a session was opened at all (start got that far). */
  get opened(): boolean {
    return this.stream !== undefined;
  }

  get isOpen(): boolean {
    return this.stream !== undefined && !this.endedByPlatforms;
  }

  /** Called with the new session whenever one begins. */
  onBegin(listener: (s: StreamRow) => void): void {
    this.listeners.push(listener);
  }

  /** At start: continue the last session if it was alive moments ago, else begin one. */
  open(): { stream: StreamRow; resumed: boolean } {
    const r = this.opts.store.streams.beginOrResume(this.opts.clock.now(), this.opts.resumeWithinMs);
    this.stream = r.stream;
    return r;
  }

  heartbeat(): void {
    const now = this.opts.clock.now();
    this.opts.store.platformState.set('lectern', 'heartbeat', String(now), now);
    if (this.stream && !this.endedByPlatforms) this.opts.store.streams.heartbeat(this.stream.id, now);
  }

  /** What a platform said about going live or offline. */
  onLive(platform: PlatformId, info: LiveInfo): void {
    const now = this.opts.clock.now();
    if (info.state === 'offline') {
      if (!this.live.has(platform) || !this.stream) return;
      this.live.delete(platform);
      this.opts.store.streamPlatforms.offline(this.stream.id, platform, now);
      if (this.live.size === 0 && !this.endedByPlatforms) {
        this.opts.store.streams.end(this.stream.id, now);
        this.endedByPlatforms = true;
        this.opts.logger.info({ streamId: this.stream.id }, 'stream session ended: every platform is offline; waiting for the next broadcast');
      }
      return;
    }
    // A session resumed after a restart whose platform now reports another broadcast: a new stream.
    const recorded = this.stream ? this.opts.store.streamPlatforms.list(this.stream.id).find((p) => p.platform === platform) : undefined;
    const another = this.live.size === 0 && Boolean(recorded?.videoId && info.videoId && recorded.videoId !== info.videoId);
    if (!this.stream || this.endedByPlatforms || another) this.begin(info.startedAt ?? now, now);
    this.live.set(platform, info.videoId);
    this.opts.store.streamPlatforms.live(this.current.id, platform, {
      ...(info.videoId ? { videoId: info.videoId } : {}),
      ...(info.vodUrl ? { vodUrl: info.vodUrl } : {}),
      ...(info.title ? { title: info.title } : {}),
      ...(info.startedAt ? { startedAt: info.startedAt } : {}),
    });
  }

  /** A platform's stream title changed while it is live: the session keeps the latest title. */
  titled(platform: PlatformId, title: string): void {
    if (this.stream && !this.endedByPlatforms && this.live.has(platform)) this.opts.store.streamPlatforms.live(this.stream.id, platform, { title });
  }

  private begin(startedAt: number, now: number): void {
    const previous = this.stream;
    if (this.stream && !this.endedByPlatforms) this.opts.store.streams.end(this.stream.id, now);
    const since = Math.min(startedAt, now);
    this.stream = this.opts.store.streams.begin(since, now);
    this.endedByPlatforms = false;
    this.live.clear();
    // The broadcast began before Lectern saw it (Helix and YouTube are asked every minute or so):
    // what was asked since belongs to it, with the numbers viewers were told.
    const moved = previous && since < now ? this.opts.store.questions.moveSince(previous.id, this.stream.id, since, since) : 0;
    this.opts.logger.info({ streamId: this.stream.id, ...(moved ? { questionsMoved: moved } : {}) }, 'new stream session: a platform went live');
    for (const l of this.listeners) l(this.stream);
  }

  /**
   * At shutdown: the session ends (a restart within the window resumes it); the service is no
   * longer alive. A start that failed before opening a session leaves both alone: the database
   * may be another running service's.
   */
  close(): void {
    if (!this.stream) return;
    const now = this.opts.clock.now();
    if (!this.endedByPlatforms) this.opts.store.streams.end(this.stream.id, now);
    this.opts.store.platformState.set('lectern', 'heartbeat', '0', now);
  }
}
