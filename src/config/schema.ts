import { z } from 'zod';
import { commandName, moderationSchema, permissionSchema, timerSchema } from './bot-schema.js';

export { permissionSchema } from './bot-schema.js';

/** Twitch's own chat endpoint; `twitch.server` overrides it (the simulator, a proxy). */
export const TWITCH_DEFAULT_SERVER = { host: 'irc-ws.chat.twitch.tv', port: 443, secure: true } as const;

const seconds = (max: number) => z.number().min(0).max(max);

const login = z
  .string()
  .regex(/^#?[A-Za-z0-9_]{1,25}$/, 'expected a Twitch login: 1 to 25 letters, digits or underscores')
  .transform((s) => s.replace(/^#/, '').toLowerCase());

const vodTemplate = z
  .url()
  .refine(
    (u) => u.includes('{seconds}') || u.includes('{hms}'),
    'expected a URL with {seconds} or {hms} where the time goes, e.g. https://youtu.be/ID?t={seconds}s',
  );

const customCommand = z.strictObject({
  name: commandName,
  response: z.string().min(1).max(450),
  aliases: z.array(commandName).default([]),
  permission: permissionSchema.default('everyone'),
  globalCooldown: seconds(86_400).default(0),
  userCooldown: seconds(86_400).default(0),
});

const notesFolder = z.strictObject({
  dir: z.string().min(1),
  baseUrl: z.url(),
  include: z.array(z.string().min(1)).optional(),
  exclude: z.array(z.string().min(1)).optional(),
});

const feed = z.union([z.url().transform((url) => ({ url })), z.strictObject({ url: z.url(), name: z.string().optional() })]);

const knowledge = z.strictObject({
  notes: z.array(notesFolder).default([]),
  feeds: z.array(feed).default([]),
  links: z.array(z.strictObject({ title: z.string().min(1).max(200), url: z.url(), tags: z.array(z.string()).optional() })).default([]),
  feedRefreshMinutes: z
    .number()
    .min(1)
    .max(24 * 60)
    .default(30),
  feedTimeoutSeconds: z.number().min(1).max(120).default(10),
});

const twitch = z.strictObject({
  channel: login,
  username: login.optional(),
  server: z
    .strictObject({
      host: z.string().min(1).default(TWITCH_DEFAULT_SERVER.host),
      port: z.number().int().min(1).max(65_535).default(TWITCH_DEFAULT_SERVER.port),
      secure: z.boolean().default(TWITCH_DEFAULT_SERVER.secure),
    })
    .prefault({}),
  reconnect: z
    .strictObject({
      initialSeconds: z.number().min(0.05).max(60).default(1),
      maxSeconds: z.number().min(0.1).max(600).default(60),
    })
    .prefault({}),
  /**
   * The client id of the Twitch application the bot's token belongs to (twitch.auth.clientId, when
   * set, is used instead). With it Lectern asks Helix whether the channel is live, its title and
   * its recording, for stream sessions and VOD links.
   */
  clientId: z.string().min(1).optional(),
  helixUrl: z.url().default('https://api.twitch.tv/helix'),
  /** Twitch drops a JOIN to a channel that does not exist without a word: after this long, say so. */
  joinTimeoutSeconds: z.number().min(1).max(120).default(15),
  /** Linking the bot account with `lectern auth twitch` (Device Code Flow) and keeping its token fresh. */
  auth: z
    .strictObject({
      clientId: z.string().min(1),
      deviceUrl: z.url().default('https://id.twitch.tv/oauth2/device'),
      tokenUrl: z.url().default('https://id.twitch.tv/oauth2/token'),
      validateUrl: z.url().default('https://id.twitch.tv/oauth2/validate'),
    })
    .optional(),
  /** Stream markers on topic changes (Helix), with TWITCH_BROADCASTER_TOKEN (channel:manage:broadcast). */
  markers: z
    .strictObject({
      helixUrl: z.url().default('https://api.twitch.tv/helix'),
      clientId: z.string().min(1),
      broadcasterId: z.string().regex(/^\d+$/, 'expected the numeric Twitch user id of the channel'),
    })
    .optional(),
});

/** Google's own endpoints; tests and the demo point `youtube.apiRoot` at the simulator. */
export const YOUTUBE_DEFAULTS = {
  apiRoot: 'https://youtube.googleapis.com/',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  dailyUnits: 10_000,
  costs: { list: 5, stream: 5, insert: 20, delete: 20, videos: 1, broadcasts: 1, channels: 1, playlistItems: 1 },
  replyReserve: 1_000,
  plannedStreamHours: 4,
} as const;

/**
 * A video id, or any address a streamer copies: watch?v=, youtu.be/, /live/, /shorts/, and
 * YouTube Studio's /video/ID/livestreaming.
 */
export function videoIdFrom(value: string): string | undefined {
  const v = value.trim();
  if (/^[\w-]{6,20}$/.test(v)) return v;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(v) ? v : `https://${v}`);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^(www|m|music)\./, '');
  const id =
    host === 'youtu.be'
      ? url.pathname.split('/')[1]
      : host === 'youtube.com'
        ? (url.searchParams.get('v') ?? /^\/(?:live|shorts|embed|v)\/([\w-]+)/.exec(url.pathname)?.[1])
        : host === 'studio.youtube.com'
          ? /^\/video\/([\w-]+)/.exec(url.pathname)?.[1]
          : undefined;
  return id && /^[\w-]{6,20}$/.test(id) ? id : undefined;
}

const videoId = z.string().transform((v, ctx) => {
  const id = videoIdFrom(v);
  if (!id) ctx.addIssue({ code: 'custom', message: "expected a YouTube video id or its address (watch?v=…, youtu.be/…, /live/…, or YouTube Studio's)" });
  return id ?? v;
});

const youtube = z
  .strictObject({
    videoId: videoId.optional(),
    /** A channel, by id (UC…) or handle (@name): its live stream is found each time it goes live. */
    channelId: z
      .string()
      .regex(/^(UC[\w-]{22}|@[A-Za-z0-9._-]{3,30})$/, 'expected a channel id (UC followed by 22 characters) or a handle (@name)')
      .optional(),
    liveChatId: z.string().min(10).max(200).optional(),
    broadcast: z.literal('mine').optional(),
    apiRoot: z.url().default(YOUTUBE_DEFAULTS.apiRoot),
    transport: z.enum(['auto', 'stream', 'poll']).default('auto'),
    plannedStreamHours: z.number().min(0.25).max(48).default(YOUTUBE_DEFAULTS.plannedStreamHours),
    /** How often to look for the live chat before the stream starts (videos.list, 1 unit). */
    waitForLiveSeconds: z.number().min(5).max(3600).default(60),
    quota: z
      .strictObject({
        dailyUnits: z.number().int().min(100).max(10_000_000).default(YOUTUBE_DEFAULTS.dailyUnits),
        replyReserve: z.number().int().min(0).default(YOUTUBE_DEFAULTS.replyReserve),
        costs: z
          .strictObject({
            list: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.list),
            stream: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.stream),
            insert: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.insert),
            delete: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.delete),
            videos: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.videos),
            broadcasts: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.broadcasts),
            channels: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.channels),
            playlistItems: z.number().int().min(0).default(YOUTUBE_DEFAULTS.costs.playlistItems),
          })
          .prefault({}),
      })
      .prefault({}),
    oauth: z
      .strictObject({
        tokenUrl: z.url().default(YOUTUBE_DEFAULTS.tokenUrl),
        authorizeUrl: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
      })
      .prefault({}),
  })
  .superRefine((y, ctx) => {
    const sources = [y.videoId, y.liveChatId, y.broadcast, y.channelId].filter((v) => v !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of channelId, videoId, liveChatId or broadcast: mine' });
    }
  });

export const configSchema = z
  .strictObject({
    twitch: twitch.optional(),
    youtube: youtube.optional(),
    knowledge: knowledge.prefault({}),
    topic: z
      .strictObject({
        /** Saving a note makes its title the topic. */
        followNotes: z.boolean().default(false),
      })
      .prefault({}),
    storage: z
      .strictObject({
        path: z.string().min(1).default('./data/lectern.db'),
        /** A copy of the database every `everyHours` in `backups/` next to it, the newest `keep` kept. Off without it. */
        backup: z
          .strictObject({
            everyHours: z
              .number()
              .min(0.25)
              .max(24 * 31),
            keep: z.number().int().min(1).max(1000).default(7),
          })
          .optional(),
      })
      .prefault({}),
    stream: z
      .strictObject({
        resumeWithinMinutes: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(30),
        /** Links to a moment of the recording: `{seconds}` becomes 1234, `{hms}` becomes 1h2m3s. */
        vodUrl: z
          .strictObject({
            youtube: vodTemplate.optional(),
            twitch: vodTemplate.optional(),
          })
          .prefault({}),
      })
      .prefault({}),
    questions: z
      .strictObject({
        /** Also log questions asked in ordinary chat (shown on the dashboard, not announced). */
        detect: z.boolean().default(true),
        detectMinWords: z.number().int().min(1).max(50).default(4),
        maxLength: z.number().int().min(20).max(500).default(300),
        /** At most `count` new questions per viewer in `perMinutes` (0: no cap); moderators are exempt. */
        perViewer: z
          .strictObject({
            count: z.number().int().min(0).max(1000).default(5),
            perMinutes: z
              .number()
              .min(1)
              .max(24 * 60)
              .default(10),
          })
          .prefault({}),
      })
      .prefault({}),
    backlog: z
      .strictObject({
        /** A backlog item's score halves for every this many days nobody asked it. */
        halfLifeDays: z.number().min(1).max(3650).default(30),
      })
      .prefault({}),
    followUp: z
      .strictObject({
        /** Tell a viewer, once, in a later stream, that a post answers the question they asked. */
        enabled: z.boolean().default(true),
      })
      .prefault({}),
    commands: z
      .strictObject({
        prefix: z.string().min(1).max(3).regex(/^\S+$/, 'expected 1 to 3 characters without spaces').default('!'),
        custom: z.array(customCommand).default([]),
        floodLimit: z
          .strictObject({
            count: z.number().int().min(1).max(100).default(5),
            perSeconds: z.number().min(1).max(3600).default(15),
          })
          .prefault({}),
      })
      .prefault({}),
    /** Periodic messages (docs/bot.md): text or a command's response, after enough chat. */
    timers: z.array(timerSchema).default([]),
    moderation: moderationSchema,
    outbox: z
      .strictObject({
        maxDelaySeconds: z.number().min(1).max(600).default(60),
        maxQueue: z.number().int().min(1).max(10_000).default(200),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8787),
        /**
         * More addresses the dashboard is opened by, besides http://127.0.0.1:PORT and
         * http://localhost:PORT (a LAN address, another published port): requests from any other
         * origin cannot act on it.
         */
        publicOrigins: z.array(z.url().refine((u) => /^https?:\/\//.test(u), 'expected an http:// or https:// origin')).default([]),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const hasKnowledge = cfg.knowledge.notes.length + cfg.knowledge.feeds.length + cfg.knowledge.links.length > 0;
    if (!cfg.twitch && !cfg.youtube && !hasKnowledge) {
      ctx.addIssue({ code: 'custom', path: ['twitch'], message: 'expected at least one platform section (twitch or youtube), or knowledge to search' });
    }
    const seen = new Map<string, string>();
    cfg.commands.custom.forEach((c, i) => {
      for (const [j, name] of [c.name, ...c.aliases].entries()) {
        const where = j === 0 ? `commands.custom[${i}].name` : `commands.custom[${i}].aliases[${j - 1}]`;
        const first = seen.get(name);
        if (first) {
          ctx.addIssue({ code: 'custom', path: ['commands', 'custom', i, j === 0 ? 'name' : 'aliases'], message: `"${name}" is already used by ${first}` });
        } else seen.set(name, where);
      }
    });
    const timers = new Set<string>();
    cfg.timers.forEach((t, i) => {
      if (timers.has(t.name)) ctx.addIssue({ code: 'custom', path: ['timers', i, 'name'], message: `"${t.name}" is already a timer's name` });
      timers.add(t.name);
    });
  });

export type FileConfig = z.output<typeof configSchema>;
