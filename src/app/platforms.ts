import { LecternError, type ChatModerator, type ChatPlatform, type PlatformId } from '../core/index.js';
import { durations, type Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { Outbox } from '../outbox/index.js';
import { Helix, TwitchModerator, TwitchPlatform } from '../platforms/twitch/index.js';
import { QuotaPlanner, YouTubeApi, YouTubeModerator, YouTubePlatform } from '../platforms/youtube/index.js';
import { twitchCredentials, youtubeCredentials, type TokenStore, type TwitchTokens } from '../auth/index.js';
import type { Runtime } from './runtime.js';

export interface Connected {
  readonly platform: ChatPlatform;
  readonly outbox: Outbox;
  /** Deletes viewers' messages there (link protection). */
  readonly moderator: ChatModerator;
  /** Twitch: the linked account whose token is kept fresh. */
  readonly linked?: TwitchTokens;
}

/** The platforms the config names, each with the outbox every reply to it goes through. */
export function createPlatforms(config: Config, rt: Runtime, store: Store, tokens: TokenStore): Connected[] {
  return (['twitch', 'youtube'] as const).flatMap((id) => (config[id] ? [createPlatform(id, config, rt, store, tokens)] : []));
}

/** One platform of the config (at start, or again after a reload changed its settings). */
export function createPlatform(id: PlatformId, config: Config, rt: Runtime, store: Store, tokens: TokenStore): Connected {
  if (id === 'twitch') {
    const { platform, linked, moderator } = createTwitch(config, rt, tokens);
    return { ...withOutbox(platform, config, rt, store), moderator, ...(linked ? { linked } : {}) };
  }
  const { platform, moderator } = createYouTube(config, rt, store, tokens);
  return { ...withOutbox(platform, config, rt, store), moderator };
}

function createTwitch(config: Config, rt: Runtime, tokens: TokenStore): { platform: TwitchPlatform; linked?: TwitchTokens; moderator: TwitchModerator } {
  const t = config.twitch!;
  const d = durations(config);
  const creds = twitchCredentials(config, rt, tokens);
  const linked = creds.linked;
  // Live status, start time, title and the archive video, when Helix can be asked.
  const helix = creds.clientId && creds.token ? new Helix({ url: t.helixUrl, clientId: creds.clientId, token: creds.token }) : undefined;
  const platform = new TwitchPlatform({
    channel: t.channel,
    username: creds.username,
    token: creds.token,
    helix,
    // A refused login with a linked account: refresh and retry; if the refresh fails, read anonymously.
    onAuthFailure: linked
      ? () =>
          linked.refresh().then(
            () => 'retry' as const,
            () => 'anonymous' as const,
          )
      : undefined,
    server: t.server,
    reconnect: d.twitchReconnect,
    joinTimeoutMs: d.twitchJoinTimeoutMs,
    ...rt,
  });
  const moderator = new TwitchModerator({ helix, channel: t.channel, username: creds.username, roles: () => platform.botRoles() });
  return { platform, linked, moderator };
}

function createYouTube(config: Config, rt: Runtime, store: Store, tokens: TokenStore): { platform: YouTubePlatform; moderator: YouTubeModerator } {
  const y = config.youtube!;
  const { oauth, apiKey } = youtubeCredentials(config, tokens);
  if (!oauth && !apiKey)
    throw new LecternError('CONFIG_INVALID', 'No YouTube account is linked yet: run `lectern auth youtube` (or set YOUTUBE_REFRESH_TOKEN or YOUTUBE_API_KEY)');
  const api = new YouTubeApi({ apiRoot: y.apiRoot, ...(oauth ? { oauth } : { apiKey: apiKey! }) });
  const planner = new QuotaPlanner({
    dailyUnits: y.quota.dailyUnits,
    // Without OAuth there are no replies, so nothing is held back for them.
    replyReserve: api.canWrite ? y.quota.replyReserve : 0,
    costs: y.quota.costs,
    plannedStreamMs: durations(config).youtubePlannedStreamMs,
    clock: rt.clock,
    ledger: { get: (day) => store.quota.get('youtube', day), add: (day, units, replyUnits) => store.quota.add('youtube', day, units, replyUnits) },
  });
  const platform = new YouTubePlatform({
    source: { videoId: y.videoId, liveChatId: y.liveChatId, broadcast: y.broadcast, channelId: y.channelId },
    transport: y.transport,
    waitForLiveMs: durations(config).youtubeWaitForLiveMs,
    api,
    // With OAuth and a key, a dead refresh token still leaves reading with the key.
    fallbackApi: oauth && apiKey ? new YouTubeApi({ apiRoot: y.apiRoot, apiKey }) : undefined,
    planner,
    state: { get: (key) => store.platformState.get('youtube', key), set: (key, value) => store.platformState.set('youtube', key, value, rt.clock.now()) },
    ...rt,
  });
  return { platform, moderator: new YouTubeModerator({ api, planner }) };
}

/** The outbox of a platform, its send times kept in the store (limits count across restarts). */
function withOutbox(platform: ChatPlatform, config: Config, rt: Runtime, store: Store): { platform: ChatPlatform; outbox: Outbox } {
  const id: PlatformId = platform.id;
  const outbox = new Outbox({
    platform,
    ...rt,
    maxDelayMs: durations(config).outboxMaxDelayMs,
    maxQueue: config.outbox.maxQueue,
    history: {
      load: () => JSON.parse(store.platformState.get(id, 'sendTimes') ?? '[]') as number[],
      save: (times) => store.platformState.set(id, 'sendTimes', JSON.stringify(times), rt.clock.now()),
    },
  });
  outbox.restoreHistory();
  return { platform, outbox };
}
