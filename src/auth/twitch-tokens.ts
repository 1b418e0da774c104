import { LecternError, toError, type Clock, type Guard, type Health, type Logger, type TimerHandle } from '../core/index.js';
import type { TokenStore } from './token-store.js';
import { refreshTwitchToken, validateTwitchToken, type TwitchAuthEndpoints, type TwitchClient } from './twitch-auth.js';

const VALIDATE_EVERY_MS = 60 * 60_000;
/** Refresh this long before the token would expire. */
const REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * Keeps the linked Twitch token alive: validated at start and hourly (as Twitch requires),
 * refreshed before it expires and when a login is refused, saved back to the token store.
 * tmi.js asks `current()` on every (re)connect, so it always connects with the newest token.
 */
export class TwitchTokens {
  private timer: TimerHandle | undefined;
  private refreshing: Promise<string> | undefined;
  dead = false;

  constructor(
    private readonly opts: {
      store: TokenStore;
      client: TwitchClient;
      endpoints: TwitchAuthEndpoints;
      clock: Clock;
      logger: Logger;
      guard: Guard;
      health: Health;
      fetch?: typeof fetch;
    },
  ) {}

  get linked(): boolean {
    return Boolean(this.opts.store.get('twitch')?.accessToken);
  }

  async current(): Promise<string> {
    const t = this.opts.store.get('twitch');
    if (!t?.accessToken) throw new LecternError('PLATFORM_AUTH_FAILED', 'No Twitch account is linked; run `lectern auth twitch`');
    if (t.expiresAt !== undefined && t.expiresAt - this.opts.clock.now() < REFRESH_MARGIN_MS) return this.refresh();
    return t.accessToken;
  }

  /** One refresh at a time; everyone waiting gets its result. */
  refresh(): Promise<string> {
    this.refreshing ??= (async () => {
      const t = this.opts.store.get('twitch');
      try {
        if (!t?.refreshToken)
          throw new LecternError('PLATFORM_AUTH_FAILED', 'The Twitch token cannot be refreshed (no refresh token); run `lectern auth twitch` again');
        const fresh = await refreshTwitchToken(this.opts.client, this.opts.endpoints, t.refreshToken, this.opts.clock.now(), this.opts.fetch);
        this.opts.store.set('twitch', { ...fresh, ...(t.login ? { login: t.login } : {}) });
        this.dead = false;
        this.opts.logger.info({ scopes: fresh.scopes }, 'Twitch token refreshed');
        return fresh.accessToken!;
      } catch (err) {
        this.dead = true;
        const e =
          err instanceof LecternError
            ? err
            : new LecternError('PLATFORM_AUTH_FAILED', `Twitch token refresh failed: ${toError(err).message}; run \`lectern auth twitch\` again`, {
                cause: err,
              });
        this.opts.health.report('twitch.auth', e);
        this.opts.logger.error({ code: e.code }, e.message);
        throw e;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** Validates now, then every hour; an invalid token is refreshed. */
  async startValidating(): Promise<void> {
    await this.validate();
    this.schedule();
  }

  private schedule(): void {
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard('twitch.validate', async () => {
        await this.validate();
        this.schedule();
      }),
      VALIDATE_EVERY_MS,
    );
  }

  private async validate(): Promise<void> {
    const t = this.opts.store.get('twitch');
    if (!t?.accessToken) return;
    const v = await validateTwitchToken(this.opts.endpoints, t.accessToken, this.opts.fetch).catch((err: unknown) => {
      this.opts.health.report('twitch.validate', err);
      return null;
    });
    if (v === null) return; // Twitch unreachable: try again next hour.
    if (v === undefined) {
      await this.refresh().catch(() => undefined);
      return;
    }
    this.opts.store.set('twitch', { ...t, login: v.login, scopes: v.scopes, expiresAt: this.opts.clock.now() + v.expiresIn * 1000 });
  }

  stop(): void {
    this.opts.clock.clearTimeout(this.timer);
  }
}
