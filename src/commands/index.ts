export { CommandRouter, type RouterOptions, type CommandSource } from './router.js';
export { parseCommand, type ParsedCommand } from './parse.js';
export { helpCommand } from './builtins/help.js';
export { manageCommands, parseComArgs, type ComArgs } from './builtins/manage.js';
export { customCommand, type CustomCommandConfig } from './custom.js';
export {
  CommandBook,
  COMMAND_NAME,
  PERMISSIONS,
  RESPONSE_LIMITS,
  type BookResult,
  type CommandInput,
  type CommandStore,
  type CommandVariables,
  type CommandView,
  type StoredCommand,
} from './book.js';
export { expand, formatDuration, templateProblem, usesVariable, VARIABLES, type TemplateValues } from './template.js';
export type { CommandContext, CommandDefinition, Outcome, ReplyOptions } from './types.js';
