export { YouTubePlatform, YOUTUBE_LIMITS, type YouTubePlatformOptions, type YouTubeSource } from './youtube-platform.js';
export { YouTubeApi, YouTubeApiError, type YouTubeApiOptions, type LiveVideo } from './api.js';
export { ChatFinder } from './chat-finder.js';
export { QuotaPlanner, pacificDay, type QuotaLedger, type QuotaStatus, type QuotaCall } from './quota.js';
export { mapLiveChatMessage, youtubeRoles } from './map-event.js';
export { JsonArrayReader } from './json-array-reader.js';
export { YouTubeModerator } from './moderation.js';
