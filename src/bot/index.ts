export { Bot, mentionFor, type BotOptions, type BotStats } from './bot.js';
export type { DomainEvents } from './events.js';
