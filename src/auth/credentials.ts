import { dataPaths, type Config } from '../config/index.js';
import type { Clock, Guard, Health, Logger } from '../core/index.js';
import { TokenStore } from './token-store.js';
import { TwitchTokens } from './twitch-tokens.js';
import { YOUTUBE_SCOPES } from './youtube-auth.js';

/**
 * The bot's Twitch account, however it was given: TWITCH_OAUTH_TOKEN (it wins), or the account
 * linked with `lectern auth twitch` (validated, refreshed before it expires and after a refused
 * login). `start` and `doctor` both ask here, so both use the token the same way.
 */
export interface TwitchCredentials {
  /** Absent: anonymous and read-only. */
  readonly username?: string;
  /** The current user token, without `oauth:` (a refresh may happen behind it). */
  readonly token?: () => string | Promise<string>;
  /** The linked account, when that is where the token comes from. */
  readonly linked?: TwitchTokens;
  /** The Twitch application the token belongs to, for Helix. */
  readonly clientId?: string;
}

export function twitchCredentials(
  config: Config,
  runtime: { readonly clock: Clock; readonly logger: Logger; readonly guard: Guard; readonly health: Health },
  store: TokenStore = new TokenStore(dataPaths(config).tokens),
): TwitchCredentials {
  const t = config.twitch;
  if (!t) return {};
  const env = config.secrets.twitchToken;
  const clientId = t.auth?.clientId ?? t.markers?.clientId ?? t.clientId;
  const base = { username: t.username, clientId };
  if (env) return { ...base, token: () => env };
  if (!t.auth || !t.username) return base;
  const linked = new TwitchTokens({
    store,
    client: { clientId: t.auth.clientId, clientSecret: config.secrets.twitchClientSecret },
    endpoints: t.auth,
    ...runtime,
  });
  return linked.linked ? { ...base, token: () => linked.current(), linked } : { ...base, linked };
}

export interface YouTubeCredentials {
  /** OAuth (reads and replies), from the YOUTUBE_CLIENT_* variables and a refresh token. */
  /** `readOnly`: the linked account granted only `youtube.readonly` (`lectern auth youtube --read-only`). */
  readonly oauth?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    readonly tokenUrl: string;
    readonly readOnly: boolean;
  };
  /** An API key (reads only; also what reading falls back on when OAuth dies). */
  readonly apiKey?: string;
}

/** YouTube's credentials: OAuth when the client and a refresh token (env, or linked) are there; the key. */
export function youtubeCredentials(config: Config, store: TokenStore = new TokenStore(dataPaths(config).tokens)): YouTubeCredentials {
  const y = config.youtube;
  const s = config.secrets;
  if (!y) return {};
  const linked = s.youtubeRefreshToken ? undefined : store.get('youtube');
  const refreshToken = s.youtubeRefreshToken ?? linked?.refreshToken;
  // A linked account records the scopes it granted; a refresh token from the environment is taken as able to post.
  const readOnly = linked !== undefined && !linked.scopes.some((sc) => sc === YOUTUBE_SCOPES.readWrite || sc === 'https://www.googleapis.com/auth/youtube');
  const oauth =
    s.youtubeClientId && s.youtubeClientSecret && refreshToken
      ? { clientId: s.youtubeClientId, clientSecret: s.youtubeClientSecret, refreshToken, tokenUrl: y.oauth.tokenUrl, readOnly }
      : undefined;
  return { oauth, apiKey: s.youtubeApiKey };
}
