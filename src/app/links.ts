import type { ChatModerator, EventBus, PlatformId } from '../core/index.js';
import type { Config } from '../config/index.js';
import { domainOf, LinkGuard, type LinkSettings } from '../moderation/index.js';
import type { Bot } from '../bot/index.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';

/**
 * Domains anyone may link to: the streamer's own (the notes' base URLs, the feeds, the configured
 * links) and `moderation.allowDomains`.
 */
export function allowedDomains(config: Config): string[] {
  const k = config.knowledge;
  const own = [...k.notes.map((n) => n.baseUrl), ...k.feeds.map((f) => f.url), ...k.links.map((l) => l.url)].map(domainOf);
  return [...new Set([...own.filter((d): d is string => d !== undefined), ...config.moderation.allowDomains])];
}

/**
 * Link protection in the running service: its settings read from the config now (a reload applies
 * at once), the moderators of the connected platforms, notices through the bot (not threaded under
 * the deleted line) and each action on the bus for the dashboard.
 */
export function createLinkGuard(d: {
  readonly live: () => Config;
  readonly rt: Runtime;
  readonly bus: EventBus<DomainEvents>;
  readonly bot: () => Bot;
  readonly moderators: ReadonlyMap<PlatformId, ChatModerator>;
}): LinkGuard {
  let cached: { config: Config; settings: LinkSettings } | undefined;
  const settings = (): LinkSettings => {
    const config = d.live();
    if (cached?.config !== config) {
      const m = config.moderation;
      cached = { config, settings: { enabled: m.links, allowFrom: m.allowLinksFrom, domains: allowedDomains(config), noticeMs: m.noticeMinutes * 60_000 } };
    }
    return cached.settings;
  };
  return new LinkGuard({
    settings,
    moderator: (platform) => d.moderators.get(platform),
    clock: d.rt.clock,
    guard: d.rt.guard,
    logger: d.rt.logger,
    health: d.rt.health,
    notice: (event, text) => d.bot().reply(event, text, { thread: false }),
    prefix: () => d.live().commands.prefix,
    onAction: (action) => d.bus.emit('moderation', action),
  });
}
