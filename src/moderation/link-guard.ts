import {
  addressOf,
  hasPermission,
  isModeratorOrAbove,
  LecternError,
  type ChatEvent,
  type ChatModerator,
  type Clock,
  type Guard,
  type Health,
  type Logger,
  type Permission,
  type PlatformId,
} from '../core/index.js';
import { allowedHost, linkHosts } from './links.js';

/** Link protection as the config says now (read at every line, so a reload applies at once). */
export interface LinkSettings {
  readonly enabled: boolean;
  /** The lowest level that may post links; moderators and the broadcaster always may. */
  readonly allowFrom: Permission;
  /** Domains anyone may link to, and their subdomains. */
  readonly domains: readonly string[];
  readonly noticeMs: number;
}

/** What link protection did, for the dashboard: never more of the viewer's words than the link's host. */
export interface ModerationAction {
  readonly at: number;
  readonly platform: PlatformId;
  readonly viewer: string;
  readonly host: string;
  readonly outcome: 'deleted' | 'permitted' | 'not-deleted';
  /** Why not deleted (the bot is not a moderator, a missing scope, the quota…). */
  readonly detail?: string;
}

export interface LinkGuardOptions {
  readonly settings: () => LinkSettings;
  readonly moderator: (platform: PlatformId) => ChatModerator | undefined;
  readonly clock: Clock;
  readonly guard: Guard;
  readonly logger: Logger;
  readonly health: Health;
  /** Tells the viewer, addressed to them and not threaded under the deleted message. */
  readonly notice: (event: ChatEvent, text: string) => void;
  readonly prefix: () => string;
  readonly onAction?: (action: ModerationAction) => void;
}

/** A `!permit` lets one link through within this long. */
export const PERMIT_MS = 60_000;
const KEEP_ACTIONS = 50;

/** The names a moderator may give to `!permit` someone: a login or handle, any case, with or without `@`. */
const keysOf = (e: ChatEvent) => [e.author.login, e.author.displayName].map((n) => n.trim().replace(/^@/, '').toLowerCase());

/**
 * Link protection: a line from a viewer below the configured level with a link to a domain not
 * allowed is deleted (Helix on Twitch, liveChatMessages.delete on YouTube) and not answered, and
 * the viewer is told why at most once per `noticeMs`. Nothing is tried where the bot lacks the
 * rights: the action, the reason and the failures go to the dashboard and the health list.
 */
export class LinkGuard {
  private readonly permits = new Map<string, number>();
  private readonly noticed = new Map<string, number>();
  private readonly recent: ModerationAction[] = [];

  constructor(private readonly opts: LinkGuardOptions) {}

  /** The latest actions, newest last. */
  actions(): readonly ModerationAction[] {
    return this.recent;
  }

  /** Lets the viewer of that name post one link within `PERMIT_MS`. */
  permit(name: string): void {
    const now = this.opts.clock.now();
    for (const [k, until] of this.permits) if (until <= now) this.permits.delete(k);
    this.permits.set(name.trim().replace(/^@/, '').toLowerCase(), now + PERMIT_MS);
  }

  /** Looks at a chat line; true when it is being deleted (it is then not answered). */
  check(event: ChatEvent): boolean {
    const s = this.opts.settings();
    if (!s.enabled || (event.kind !== 'message' && event.kind !== 'paid-message') || event.sharedFrom) return false;
    const roles = event.author.roles;
    if (isModeratorOrAbove(roles) || hasPermission(roles, s.allowFrom)) return false;
    const host = linkHosts(event.text).find((h) => !allowedHost(h, s.domains));
    if (!host) return false;
    if (this.usePermit(event)) {
      this.record(event, host, 'permitted');
      return false;
    }
    const moderator = this.opts.moderator(event.platform);
    const lacking = moderator ? moderator.lacksRights() : `${event.platform}: the bot has no way to delete messages there`;
    if (lacking || !moderator) {
      this.failed(event, host, lacking ?? '');
      return false;
    }
    void moderator.deleteMessage(event).then(
      this.opts.guard('links.delete', (r: Awaited<ReturnType<ChatModerator['deleteMessage']>>) => {
        if (!r.ok) return this.failed(event, host, r.detail);
        this.record(event, host, 'deleted');
        this.tell(event, s.noticeMs);
      }),
    );
    return true;
  }

  private usePermit(event: ChatEvent): boolean {
    const now = this.opts.clock.now();
    for (const k of keysOf(event)) {
      const until = this.permits.get(k);
      if (until !== undefined && until > now) {
        this.permits.delete(k);
        return true;
      }
    }
    return false;
  }

  private tell(event: ChatEvent, noticeMs: number): void {
    const key = `${event.platform}:${event.author.id}`;
    const now = this.opts.clock.now();
    const last = this.noticed.get(key);
    if (last !== undefined && now - last < noticeMs) return;
    this.noticed.delete(key);
    this.noticed.set(key, now);
    if (this.noticed.size > 10_000) for (const k of [...this.noticed.keys()].slice(0, 2_000)) this.noticed.delete(k);
    this.opts.notice(event, `links are not allowed in chat; a moderator can allow one with ${this.opts.prefix()}permit.`);
  }

  private failed(event: ChatEvent, host: string, detail: string): void {
    this.record(event, host, 'not-deleted', detail);
    this.opts.health.report(`${event.platform}.links`, new LecternError('MODERATION_FAILED', `A link was not deleted: ${detail}`));
    this.opts.logger.warn({ platform: event.platform, detail }, 'link not deleted');
  }

  private record(event: ChatEvent, host: string, outcome: ModerationAction['outcome'], detail?: string): void {
    const viewer = addressOf(event.platform, event.author) || event.author.login;
    const action: ModerationAction = { at: this.opts.clock.now(), platform: event.platform, viewer, host, outcome, ...(detail ? { detail } : {}) };
    this.recent.push(action);
    if (this.recent.length > KEEP_ACTIONS) this.recent.shift();
    if (outcome === 'deleted') this.opts.logger.info({ platform: event.platform, host }, 'link deleted');
    this.opts.onAction?.(action);
  }
}
