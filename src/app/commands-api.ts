import type { ChatModerator, PlatformId } from '../core/index.js';
import type { Config } from '../config/index.js';
import { RESPONSE_LIMITS, type BookResult, type CommandBook } from '../commands/index.js';
import type { LinkGuard } from '../moderation/index.js';
import type { TimerResult } from '../timers/index.js';
import type { ApiResult, CommandsApi } from '../dashboard/index.js';
import { allowedDomains } from './links.js';
import type { TimerParts } from './timers.js';

export interface BotParts {
  readonly live: () => Config;
  readonly commands: CommandBook;
  readonly timers: TimerParts;
  readonly links: LinkGuard;
  readonly moderators: ReadonlyMap<PlatformId, ChatModerator>;
  readonly configState: () => {
    at: number | null;
    changed: readonly string[];
    restart: readonly string[];
    problems: ReadonlyArray<{ path: string; message: string }>;
  };
}

const command = (r: BookResult): ApiResult<Extract<BookResult, { ok: true }>['command']> => (r.ok ? { ok: true, value: r.command } : r);

const timer = (r: TimerResult): ApiResult<Extract<TimerResult, { ok: true }>['timer']> => (r.ok ? { ok: true, value: r.timer } : r);

/**
 * The dashboard's Commands view over the running bot: the same books chat uses, so the same
 * validation and the same refusals. A command added here may be as long as the longest of the
 * configured platforms allows.
 */
export function commandsApi(p: BotParts): CommandsApi {
  const limit = () => {
    const c = p.live();
    return c.twitch ? RESPONSE_LIMITS.twitch : c.youtube ? RESPONSE_LIMITS.youtube : RESPONSE_LIMITS.twitch;
  };
  return {
    botView: () => {
      const c = p.live();
      const states = p.timers.timers.states();
      return {
        prefix: c.commands.prefix,
        responseLimit: limit(),
        commands: p.commands.views(),
        timers: p.timers.book.views().map((t) => ({ ...t, states: t.hidden ? [] : states.filter((s) => s.name === t.name) })),
        moderation: {
          enabled: c.moderation.links,
          allowFrom: c.moderation.allowLinksFrom,
          domains: allowedDomains(c),
          noticeMinutes: c.moderation.noticeMinutes,
          rights: [...p.moderators.values()].map((m) => ({ platform: m.platform, problem: m.lacksRights() ?? null })),
          actions: p.links.actions(),
        },
        config: p.configState(),
      };
    },
    commandAdd: (body) => command(p.commands.add(body, 'dashboard', limit())),
    commandEdit: (name, body) => command(p.commands.edit({ ...body, name }, 'dashboard', limit())),
    commandDelete: (name) => command(p.commands.remove(name)),
    timerAdd: (body) => timer(p.timers.book.add(body)),
    timerEdit: (name, body) => timer(p.timers.book.edit({ ...body, name })),
    timerDelete: (name) => timer(p.timers.book.remove(name)),
  };
}
