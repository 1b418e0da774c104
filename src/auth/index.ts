export { TokenStore, type StoredToken, type Account } from './token-store.js';
export {
  twitchDeviceFlow,
  refreshTwitchToken,
  validateTwitchToken,
  TWITCH_AUTH_ENDPOINTS,
  type TwitchAuthEndpoints,
  type TwitchClient,
} from './twitch-auth.js';
export { TwitchTokens } from './twitch-tokens.js';
export { youtubeLoopbackFlow, YOUTUBE_AUTHORIZE_URL, YOUTUBE_SCOPES } from './youtube-auth.js';
export { twitchCredentials, youtubeCredentials, type TwitchCredentials, type YouTubeCredentials } from './credentials.js';
