export { TwitchPlatform, type TwitchPlatformOptions } from './twitch-platform.js';
export { mapIrcMessage, twitchRoles } from './map-event.js';
export { TWITCH_LIMITS, twitchLimits } from './limits.js';
export { createStreamMarker, type MarkerOptions } from './markers.js';
