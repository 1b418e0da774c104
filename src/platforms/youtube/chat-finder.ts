import type { PlatformSignal } from '../../core/index.js';
import { YouTubeApiError, type LiveVideo, type YouTubeApi } from './api.js';
import type { QuotaCall, QuotaPlanner } from './quota.js';

export interface YouTubeSource {
  readonly videoId?: string;
  readonly liveChatId?: string;
  readonly broadcast?: 'mine';
  /** A channel (`UC…` id or `@handle`): its current live stream is found by the bot, with a key only. */
  readonly channelId?: string;
}

/** How often the live video's title is looked at again (1 quota unit a look). */
export const TITLE_CHECK_MS = 10 * 60_000;

/** How many of a channel's newest uploads are looked at for a live stream. */
const RECENT_UPLOADS = 5;

/**
 * Finds the live chat to read: a given chat id; a video's chat once it is live; the signed-in
 * channel's active broadcast (OAuth); or a channel's current live stream, found cheaply: its
 * uploads playlist (playlistItems.list, 1 unit) and the newest uploads' live details
 * (videos.list, 1 unit), 2 units a check instead of search.list's 100. A handle is resolved once
 * (channels.list forHandle, 1 unit). Every call is counted by the quota planner first.
 */
export class ChatFinder {
  private channel: string | undefined;

  constructor(
    private readonly source: YouTubeSource,
    private readonly planner: QuotaPlanner,
  ) {
    const c = source.channelId;
    if (c?.startsWith('UC')) this.channel = c;
  }

  /** The live video being read and its title, to notice when the title changes. */
  private live: { videoId: string; title: string; checkAt: number } | undefined;

  /** The chat was found in this video (its title is the stream's title now). */
  found(video: LiveVideo, now: number): void {
    this.live = video.videoId ? { videoId: video.videoId, title: video.title, checkAt: now + TITLE_CHECK_MS } : undefined;
  }

  /**
   * The live video's title when it changed since the last look; looks at most every 10 minutes
   * (one unit of quota), and only when the quota can pay for it.
   */
  async titleChange(api: YouTubeApi, now: number): Promise<string | undefined> {
    const live = this.live;
    if (!live || now < live.checkAt) return undefined;
    live.checkAt = now + TITLE_CHECK_MS;
    if (!this.spend('videos')) return undefined;
    const [v] = await api.videos([live.videoId]);
    if (!v || !v.title || v.title === live.title) return undefined;
    live.title = v.title;
    return v.title;
  }

  /** What is being read, in words: "video abc", "channel @name". */
  where(): string {
    const s = this.source;
    return s.videoId ? `video ${s.videoId}` : s.liveChatId ? `live chat ${s.liveChatId}` : s.channelId ? `channel ${s.channelId}` : 'your active broadcast';
  }

  /** Whether another live stream can come after this one ends (a channel, or your broadcasts). */
  get followsChannel(): boolean {
    return Boolean(this.source.channelId || this.source.broadcast);
  }

  /** What the dashboard says while nothing is live yet. */
  waiting(everyMs: number): string {
    const units = this.unitsPerCheck();
    return `waiting for ${this.where()} to go live (checking every ${Math.round(everyMs / 1000)} s, ${units} quota unit${units === 1 ? '' : 's'} a check)`;
  }

  /** The quota units one check costs (shown to the streamer while waiting). */
  unitsPerCheck(): number {
    const s = this.source;
    if (s.liveChatId) return 0;
    return s.channelId ? this.planner.cost('playlistItems') + this.planner.cost('videos') : this.planner.cost(s.videoId ? 'videos' : 'broadcasts');
  }

  /**
   * One look: the live video with its chat, or undefined while nothing is live (or the quota
   * cannot pay for the look). Throws YouTubeApiError for what is wrong for good (no such video).
   */
  async check(api: YouTubeApi): Promise<LiveVideo | undefined> {
    const s = this.source;
    if (s.liveChatId) return { videoId: '', title: '', liveChatId: s.liveChatId };
    if (s.videoId) {
      if (!this.spend('videos')) return undefined;
      const [v] = await api.videos([s.videoId]);
      if (!v) throw new YouTubeApiError(404, 'videoNotFound', `YouTube has no video ${s.videoId}`);
      return v.liveChatId ? v : undefined;
    }
    if (s.broadcast) {
      if (!this.spend('broadcasts')) return undefined;
      const b = await api.myActiveBroadcast();
      return b?.liveChatId ? b : undefined;
    }
    const channel = await this.resolveChannel(api);
    if (!channel || !this.spend('playlistItems')) return undefined;
    const ids = await api.playlistVideoIds(`UU${channel.slice(2)}`, RECENT_UPLOADS);
    if (ids.length === 0 || !this.spend('videos')) return undefined;
    return (await api.videos(ids)).find((v) => v.liveChatId);
  }

  private async resolveChannel(api: YouTubeApi): Promise<string | undefined> {
    if (this.channel) return this.channel;
    if (!this.spend('channels')) return undefined;
    const id = await api.channelByHandle(this.source.channelId!);
    if (!id) throw new YouTubeApiError(404, 'channelNotFound', `YouTube has no channel ${this.source.channelId}`);
    return (this.channel = id);
  }

  private spend(call: QuotaCall): boolean {
    if (!this.planner.canRead(call)) return false;
    this.planner.spend(call);
    return true;
  }
}

/** The live signal for a found video: its title, start and VOD link pattern. */
export function liveSignal(video: LiveVideo): PlatformSignal | undefined {
  if (!video.videoId) return undefined;
  const { videoId, title, startedAt } = video;
  return { type: 'live', live: { state: 'live', videoId, title, vodUrl: `https://youtu.be/${videoId}?t={seconds}s`, ...(startedAt ? { startedAt } : {}) } };
}
