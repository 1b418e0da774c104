import { MAX_CHAT_TEXT, type Permission, type PlatformId } from '../../core/index.js';
import type { CommandBook, CommandInput } from '../book.js';
import type { CommandContext, CommandDefinition } from '../types.js';

/** `-level=` values a moderator may write, and the permission each means. */
const LEVELS: Record<string, Permission> = {
  everyone: 'everyone',
  all: 'everyone',
  viewer: 'everyone',
  sub: 'subscriber',
  subs: 'subscriber',
  subscriber: 'subscriber',
  member: 'subscriber',
  vip: 'vip',
  mod: 'moderator',
  mods: 'moderator',
  moderator: 'moderator',
  broadcaster: 'broadcaster',
  streamer: 'broadcaster',
};

const OPTION = /^-([a-z]+)=(.*)$/i;

export type ComArgs = { readonly ok: true; readonly input: CommandInput } | { readonly ok: false; readonly message: string };

/**
 * `!name [-cd=30] [-ucd=10] [-level=mod] [-alias=!x,!y] response…`: options come right after the
 * name; everything after them is the response. `-alias=` (empty) or `-alias=none` clears the
 * aliases on edit. The moderator's own words are never repeated in an error.
 */
export function parseComArgs(text: string, prefix: string): ComArgs {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const strip = (n: string) => (n.startsWith(prefix) ? n.slice(prefix.length) : n).toLowerCase();
  const first = tokens.shift();
  if (!first || strip(first) === '') return { ok: false, message: 'Name the command first.' };
  const input: { -readonly [K in keyof CommandInput]: CommandInput[K] } = { name: strip(first) };
  let aliases: string[] | undefined;
  while (tokens.length > 0) {
    const m = OPTION.exec(tokens[0]!);
    if (!m) break;
    tokens.shift();
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'cd' || key === 'ucd') {
      if (!/^\d{1,6}$/.test(value)) return { ok: false, message: `-${key}= takes whole seconds, e.g. -${key}=30.` };
      input[key === 'cd' ? 'globalCooldown' : 'userCooldown'] = Number(value);
    } else if (key === 'level' || key === 'ul') {
      const level = LEVELS[value.toLowerCase()];
      if (!level) return { ok: false, message: '-level= is one of everyone, sub, vip, mod or broadcaster.' };
      input.permission = level;
    } else if (key === 'alias' || key === 'aliases') {
      aliases ??= [];
      if (value !== '' && value.toLowerCase() !== 'none') aliases.push(...value.split(',').filter(Boolean).map(strip));
    } else {
      return { ok: false, message: 'Unknown option; the options are -cd= -ucd= -level= and -alias=.' };
    }
  }
  if (aliases) input.aliases = aliases;
  if (tokens.length > 0) input.response = tokens.join(' ');
  return { ok: true, input };
}

/** Everything after the command word, not cut to the parser's argument bound (a long response is refused, never stored cut). */
const rawArgs = (ctx: CommandContext) => ctx.event.text.slice(ctx.prefix.length).replace(/^\S+\s*/, '');

/**
 * `!addcom`, `!editcom` and `!delcom`, for moderators and the broadcaster (others are ignored
 * silently, as for every command they may not use). Each answers the moderator in one line:
 * done, or why nothing was stored.
 */
export function manageCommands(book: CommandBook, limit: (platform: PlatformId) => number): CommandDefinition[] {
  const usage = (p: string, verb: string) => `${p}${verb} ${p}name [-cd=SECONDS] [-ucd=SECONDS] [-level=mod] [-alias=${p}other] response`;
  const change = (verb: 'addcom' | 'editcom') => (ctx: CommandContext) => {
    const parsed = parseComArgs(rawArgs(ctx), ctx.prefix);
    if (!parsed.ok) return ctx.reply(`${parsed.message} Usage: ${usage(ctx.prefix, verb)}`);
    const { input } = parsed;
    if (verb === 'editcom' && Object.keys(input).length === 1)
      return ctx.reply(`Nothing to change: give a new response or an option. Usage: ${usage(ctx.prefix, verb)}`);
    const platform = ctx.event.platform;
    const r = verb === 'addcom' ? book.add(input, platform, limit(platform)) : book.edit(input, platform, limit(platform));
    // A chat line longer than Lectern reads was cut before it came here: its count would be wrong.
    if (!r.ok && r.code === 'too-long' && ctx.event.truncated)
      return ctx.reply(
        `The response is longer than a chat line Lectern reads (${MAX_CHAT_TEXT.toLocaleString('en-US')} characters); at most ${limit(platform)} fit here.`,
      );
    ctx.reply(r.ok ? `${verb === 'addcom' ? 'Added' : 'Updated'} ${ctx.prefix}${r.command.name}.` : r.message);
  };
  return [
    {
      name: 'addcom',
      description: 'adds a command of the channel (moderators)',
      usage: 'addcom !name [-cd=30] [-ucd=10] [-level=mod] [-alias=!x] response',
      permission: 'moderator',
      run: change('addcom'),
    },
    {
      name: 'editcom',
      description: 'changes a chat-added command: its response and/or options (moderators)',
      usage: 'editcom !name [-cd=30] [-ucd=10] [-level=mod] [-alias=!x] [response]',
      permission: 'moderator',
      run: change('editcom'),
    },
    {
      name: 'delcom',
      description: 'deletes a chat-added command (moderators)',
      usage: 'delcom !name',
      permission: 'moderator',
      run(ctx) {
        const name = ctx.args[0];
        if (!name) return ctx.reply(`Usage: ${ctx.prefix}delcom ${ctx.prefix}name`);
        const r = book.remove(name.startsWith(ctx.prefix) ? name.slice(ctx.prefix.length) : name);
        ctx.reply(r.ok ? `Deleted ${ctx.prefix}${r.command.name}.` : r.message);
      },
    },
  ];
}
