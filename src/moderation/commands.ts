import type { CommandDefinition } from '../commands/index.js';
import { PERMIT_MS, type LinkGuard } from './link-guard.js';

/** `!permit <viewer>`: one link from that viewer stays, within 60 s (moderators and the broadcaster). */
export function permitCommand(guard: LinkGuard, enabled: () => boolean): CommandDefinition {
  return {
    name: 'permit',
    description: 'lets a viewer post one link in the next 60 s (moderators)',
    usage: 'permit <viewer>',
    permission: 'moderator',
    run(ctx) {
      const who = ctx.args[0]?.replace(/^@/, '');
      if (!who) return ctx.reply(`Usage: ${ctx.prefix}permit <viewer>`);
      if (!enabled()) return ctx.reply('Link protection is off: links are not deleted.');
      guard.permit(who);
      // The name is the moderator's word: it is not repeated.
      ctx.reply(`OK: that viewer may post one link in the next ${PERMIT_MS / 1000} s.`);
    },
  };
}
