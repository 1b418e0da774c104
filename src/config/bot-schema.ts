import { z } from 'zod';

/** The config's keys for the everyday bot: its commands' names and levels, timers and link protection. */

export const commandName = z
  .string()
  .regex(/^[A-Za-z0-9_+-]{1,32}$/, 'expected a command name without prefix: letters, digits, _ + -')
  .transform((s) => s.toLowerCase());

export const permissionSchema = z.enum(['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster']);

/** A periodic message (docs/bot.md): text or a command's response, after enough chat. */
export const timerSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected a timer name: 1 to 32 letters, digits, _ or -')
      .transform((s) => s.toLowerCase()),
    /** The text to send (the variables of commands work, except {user}). */
    message: z.string().min(1).max(500).optional(),
    /** Or the name of a channel command (config or chat-added) whose response is sent. */
    command: commandName.optional(),
    /** At least a quarter of a minute; minLines keeps a quiet chat quiet whatever this says. */
    everyMinutes: z.number().min(0.25).max(1440).default(15),
    /** Chat lines on that platform since the timer's last message, at least. */
    minLines: z.number().int().min(0).max(10_000).default(10),
    platforms: z.enum(['both', 'twitch', 'youtube']).default('both'),
    enabled: z.boolean().default(true),
  })
  .superRefine((t, ctx) => {
    if ((t.message === undefined) === (t.command === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of message or command' });
    if (t.message && t.platforms !== 'twitch' && [...t.message].length > 200)
      ctx.addIssue({ code: 'custom', path: ['message'], message: "expected at most 200 characters (YouTube's limit; or set platforms: twitch)" });
  });

const domain = z
  .string()
  .regex(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/i, 'expected a domain such as blog.example (without https://)')
  .transform((s) => s.replace(/^\*\./, '').toLowerCase());

/** Link protection (off by default): links from viewers below `allowLinksFrom` are deleted. */
export const moderationSchema = z
  .strictObject({
    links: z.boolean().default(false),
    /** The lowest level that may post links; moderators and the broadcaster always may. */
    allowLinksFrom: permissionSchema.default('subscriber'),
    /** Domains anyone may link to (and their subdomains), besides the notes', feeds' and links' own. */
    allowDomains: z.array(domain).default([]),
    /** The bot tells a viewer why their link went at most once in this many minutes. */
    noticeMinutes: z.number().min(0).max(1440).default(5),
  })
  .prefault({});
