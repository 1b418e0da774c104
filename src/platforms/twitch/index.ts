export { TwitchPlatform, type TwitchPlatformOptions } from './twitch-platform.js';
export { mapIrcMessage, twitchRoles } from './map-event.js';
export { TWITCH_LIMITS, twitchLimits } from './limits.js';
export { createStreamMarker, type MarkerOptions } from './markers.js';
export { Helix, type HelixOptions, type HelixStream, type HelixVideo } from './helix.js';
export { TwitchLiveWatch, LIVE_CHECK_MS } from './live-watch.js';
export { TwitchModerator, MODERATION_SCOPE } from './moderation.js';
