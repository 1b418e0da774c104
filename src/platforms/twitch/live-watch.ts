import { toError, type Clock, type Guard, type Health, type LiveInfo, type Logger, type TimerHandle } from '../../core/index.js';
import type { Helix } from './helix.js';

/** Helix is asked this often whether the channel is live (free of quota; well under its rate limit). */
export const LIVE_CHECK_MS = 60_000;

/**
 * Whether the Twitch channel is live, from Helix: `live` with the broadcast's start time, title and
 * archive video (looked for again until Twitch has made it), `offline` when it ends.
 */
export class TwitchLiveWatch {
  private timer: TimerHandle | undefined;
  private userId: string | undefined;
  private current: { streamId: string; vod: boolean } | undefined;
  private stopped = false;
  private title: string | undefined;

  constructor(
    private readonly opts: {
      readonly helix: Helix;
      readonly channel: string;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly guard: Guard;
      readonly health: Health;
      readonly onLive: (live: LiveInfo) => void;
      /** The channel's title (Helix `GET /channels`), at the first look and whenever it changes. */
      readonly onTitle?: (title: string) => void;
      readonly everyMs?: number;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard('twitch.live', () => this.check()),
      ms,
    );
  }

  /** The channel's title (Helix GET /channels), told when it changed; a failure here stops nothing else. */
  private async checkTitle(userId: string): Promise<void> {
    try {
      const title = await this.opts.helix.channelTitle(userId);
      if (title !== undefined && title !== this.title) {
        this.title = title;
        if (title.trim()) this.opts.onTitle?.(title);
      }
    } catch (err) {
      this.opts.health.report('twitch.title', err);
    }
  }

  private async check(): Promise<void> {
    try {
      this.userId ??= await this.opts.helix.userId(this.opts.channel);
      if (!this.userId) return;
      const s = await this.opts.helix.stream(this.userId);
      if (s && (this.current?.streamId !== s.id || !this.current.vod)) {
        const vod = await this.opts.helix.archive(this.userId, s.id);
        const first = this.current?.streamId !== s.id;
        this.current = { streamId: s.id, vod: Boolean(vod) };
        if (first || vod) {
          this.opts.onLive({ state: 'live', startedAt: s.startedAt, title: s.title, ...(vod ? { videoId: vod.id, vodUrl: `${vod.url}?t={hms}` } : {}) });
        }
      } else if (!s && this.current) {
        this.current = undefined;
        this.opts.onLive({ state: 'offline' });
      }
      // After the live check: a title that comes with a new broadcast belongs to its new session.
      await this.checkTitle(this.userId);
    } catch (err) {
      this.opts.health.report('twitch.live', err);
      this.opts.logger.warn({ err: toError(err).message }, 'could not ask Helix whether the channel is live');
    } finally {
      this.schedule(this.opts.everyMs ?? LIVE_CHECK_MS);
    }
  }
}
