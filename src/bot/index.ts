export { Bot, mentionFor, type BotOptions, type BotStats } from './bot.js';
export type { BotEvents, BotEmit } from './events.js';
