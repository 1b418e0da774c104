import { cleanChatText, isModeratorOrAbove } from '../core/index.js';
import type { CommandDefinition } from '../commands/index.js';
import type { TopicTracker } from './topic-tracker.js';

const minutes = (ms: number) => Math.max(0, Math.round(ms / 60_000));

/**
 * `!topic` tells the current topic and its best note link; `!topic set <text>` (moderators,
 * broadcaster) changes it.
 */
export function topicCommand(topics: TopicTracker, noteFor?: (title: string) => { url: string } | undefined): CommandDefinition {
  return {
    name: 'topic',
    description: 'what is being explained right now (moderators: !topic set <text>)',
    usage: 'topic [set <text>]',
    userCooldownMs: 10_000,
    run(ctx) {
      if (ctx.args[0]?.toLowerCase() === 'set') {
        // Only staff may change it; others are ignored like any command they may not use.
        if (!isModeratorOrAbove(ctx.event.author.roles)) return;
        const text = ctx.argText.replace(/^set\s*/i, '');
        if (!cleanChatText(text).text) return ctx.reply(`Usage: ${ctx.prefix}topic set <what you are explaining>`);
        const row = topics.set(text, 'command', `${ctx.event.platform}:${ctx.event.author.login}`);
        ctx.reply(row ? `Topic is now: ${row.title}` : `The topic is already: ${topics.current()?.title ?? text}`);
        return;
      }
      const t = topics.current();
      if (!t) return ctx.reply('No topic has been set yet.');
      const text = `Now: ${t.title} (for ${minutes(ctx.now - t.startedAt)} min)`;
      const note = noteFor?.(t.title);
      const withNote = note ? `${text} · notes: ${note.url}` : text;
      ctx.reply([...withNote].length <= ctx.maxLength ? withNote : text);
    },
  };
}
