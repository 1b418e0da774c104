import type { Permission } from '../core/index.js';
import type { CommandDefinition } from './types.js';

/** A command of the channel (from the config file, or added from chat or the dashboard). Cooldowns in seconds. */
export interface CustomCommandConfig {
  readonly name: string;
  readonly response: string;
  readonly aliases: readonly string[];
  readonly permission: Permission;
  readonly globalCooldown: number;
  readonly userCooldown: number;
}

/**
 * A channel command as the router runs it: its response with the variables filled in by
 * `render` (`{user}` is how the bot addresses the caller, from `addressOf`).
 */
export function customCommand(
  cfg: CustomCommandConfig,
  render: (cfg: CustomCommandConfig, event: Parameters<CommandDefinition['run']>[0]['event']) => string,
): CommandDefinition {
  return {
    name: cfg.name,
    aliases: cfg.aliases,
    description: 'a command of this channel',
    permission: cfg.permission,
    globalCooldownMs: cfg.globalCooldown * 1000,
    userCooldownMs: cfg.userCooldown * 1000,
    run(ctx) {
      ctx.reply(render(cfg, ctx.event));
    },
  };
}
