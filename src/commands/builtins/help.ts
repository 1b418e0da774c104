import type { CommandDefinition } from '../types.js';

/** `!help` lists what the caller may run; `!help name` describes one command. */
export const helpCommand: CommandDefinition = {
  name: 'help',
  aliases: ['commands'],
  description: 'lists the commands, or explains one',
  usage: 'help [command]',
  userCooldownMs: 10_000,
  run(ctx) {
    const available = ctx.available();
    const wanted = ctx.args[0]?.toLowerCase().replace(ctx.prefix, '');
    if (wanted) {
      const cmd = available.find((c) => c.name === wanted || c.aliases?.includes(wanted));
      // The viewer's word is never repeated: an unknown name gets the list instead.
      if (cmd) {
        ctx.reply(`${ctx.prefix}${cmd.usage ?? cmd.name}: ${cmd.description}`);
        return;
      }
    }
    const names = available.map((c) => `${ctx.prefix}${c.name}`).join(' ');
    ctx.reply(`Commands: ${names}. Try ${ctx.prefix}help <command> for details.`);
  },
};
