export { CommandRouter, type RouterOptions } from './router.js';
export { parseCommand, type ParsedCommand } from './parse.js';
export { helpCommand } from './builtins/help.js';
export { customCommand, type CustomCommandConfig } from './custom.js';
export type { CommandContext, CommandDefinition, Outcome, ReplyOptions } from './types.js';
