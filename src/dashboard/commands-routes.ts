import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Permission, PlatformId } from '../core/index.js';
import type { CommandView } from '../commands/index.js';
import type { TimerPlatforms, TimerRunState, TimerView } from '../timers/index.js';
import type { ModerationAction } from '../moderation/index.js';

/** A change refused: `not-found` (404), `taken` or `read-only` (409, a built-in's or the config file's), else 400. */
export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };

export interface CommandBody {
  readonly name: string;
  readonly response?: string;
  readonly aliases?: readonly string[];
  readonly permission?: Permission;
  readonly globalCooldown?: number;
  readonly userCooldown?: number;
}

export interface TimerBody {
  readonly name: string;
  readonly message?: string | null;
  readonly command?: string | null;
  readonly everyMinutes?: number;
  readonly minLines?: number;
  readonly platforms?: TimerPlatforms;
  readonly enabled?: boolean;
}

/** The Commands view: channel commands, timers, link protection and the last config change. */
export interface BotView {
  readonly prefix: string;
  /** The longest response the dashboard accepts (the longest of the configured platforms'). */
  readonly responseLimit: number;
  readonly commands: readonly CommandView[];
  readonly timers: ReadonlyArray<TimerView & { readonly states: readonly TimerRunState[] }>;
  readonly moderation: {
    readonly enabled: boolean;
    readonly allowFrom: Permission;
    readonly domains: readonly string[];
    readonly noticeMinutes: number;
    /** Why the bot cannot delete messages on a platform, or null when it can. */
    readonly rights: ReadonlyArray<{ readonly platform: PlatformId; readonly problem: string | null }>;
    readonly actions: readonly ModerationAction[];
  };
  readonly config: {
    readonly at: number | null;
    readonly changed: readonly string[];
    readonly restart: readonly string[];
    readonly problems: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  };
}

export interface CommandsApi {
  botView(): BotView;
  commandAdd(body: CommandBody): ApiResult<CommandView>;
  commandEdit(name: string, body: Omit<CommandBody, 'name'>): ApiResult<CommandView>;
  commandDelete(name: string): ApiResult<CommandView>;
  timerAdd(body: TimerBody): ApiResult<TimerView>;
  timerEdit(name: string, body: Omit<TimerBody, 'name'>): ApiResult<TimerView>;
  timerDelete(name: string): ApiResult<TimerView>;
}

function send<T>(reply: FastifyReply, r: ApiResult<T>): T | FastifyReply {
  if (r.ok) return r.value;
  const status = r.code === 'not-found' ? 404 : r.code === 'taken' || r.code === 'read-only' ? 409 : 400;
  return reply.code(status).send({ error: r.code, message: r.message });
}

const name = { type: 'string', minLength: 1, maxLength: 40 } as const;
const params = { type: 'object', properties: { name } } as const;
const seconds = { type: 'integer', minimum: 0, maximum: 86_400 } as const;
const commandFields = {
  response: { type: 'string', maxLength: 2000 },
  aliases: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 40 } },
  permission: { enum: ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'] },
  globalCooldown: seconds,
  userCooldown: seconds,
} as const;
const timerFields = {
  message: { type: ['string', 'null'], maxLength: 2000 },
  command: { type: ['string', 'null'], maxLength: 40 },
  everyMinutes: { type: 'number', minimum: 0.25, maximum: 1440 },
  minLines: { type: 'integer', minimum: 0, maximum: 10_000 },
  platforms: { enum: ['both', 'twitch', 'youtube'] },
  enabled: { type: 'boolean' },
} as const;

/** The Commands view's routes (inside the protected plugin, like every other route). */
export async function commandsRoutes(f: FastifyInstance, api: CommandsApi): Promise<void> {
  f.get('/api/bot', async () => api.botView());
  f.post<{ Body: CommandBody }>(
    '/api/commands',
    { schema: { body: { type: 'object', required: ['name', 'response'], additionalProperties: false, properties: { name, ...commandFields } } } },
    async (req, reply) => send(reply, api.commandAdd(req.body)),
  );
  f.post<{ Params: { name: string }; Body: Omit<CommandBody, 'name'> }>(
    '/api/commands/:name',
    { schema: { params, body: { type: 'object', additionalProperties: false, properties: commandFields } } },
    async (req, reply) => send(reply, api.commandEdit(req.params.name, req.body ?? {})),
  );
  f.post<{ Params: { name: string } }>('/api/commands/:name/delete', { schema: { params } }, async (req, reply) =>
    send(reply, api.commandDelete(req.params.name)),
  );
  f.post<{ Body: TimerBody }>(
    '/api/timers',
    { schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name, ...timerFields } } } },
    async (req, reply) => send(reply, api.timerAdd(req.body)),
  );
  f.post<{ Params: { name: string }; Body: Omit<TimerBody, 'name'> }>(
    '/api/timers/:name',
    { schema: { params, body: { type: 'object', additionalProperties: false, properties: timerFields } } },
    async (req, reply) => send(reply, api.timerEdit(req.params.name, req.body ?? {})),
  );
  f.post<{ Params: { name: string } }>('/api/timers/:name/delete', { schema: { params } }, async (req, reply) => send(reply, api.timerDelete(req.params.name)));
}
