import { addressOf, type Permission } from '../core/index.js';
import type { CommandDefinition } from './types.js';

export interface CustomCommandConfig {
  readonly name: string;
  readonly response: string;
  readonly aliases: readonly string[];
  readonly permission: Permission;
  readonly globalCooldown: number;
  readonly userCooldown: number;
}

/** A fixed answer from config; `{user}` becomes how the bot addresses the caller (`addressOf`). */
export function customCommand(cfg: CustomCommandConfig): CommandDefinition {
  return {
    name: cfg.name,
    aliases: cfg.aliases,
    description: 'a command of this channel',
    permission: cfg.permission,
    globalCooldownMs: cfg.globalCooldown * 1000,
    userCooldownMs: cfg.userCooldown * 1000,
    run(ctx) {
      ctx.reply(cfg.response.replaceAll('{user}', addressOf(ctx.event.platform, ctx.event.author)));
    },
  };
}
