import {
  Backoff,
  LecternError,
  PlatformState,
  SeenSet,
  toError,
  type ChatEvent,
  type ChatPlatform,
  type Clock,
  type Guard,
  type Health,
  type Logger,
  type OutgoingMessage,
  type PlatformSignal,
  type PlatformStatus,
  type Role,
  type SendLimits,
  type TimerHandle,
} from '../../core/index.js';
import type { TmiIrcMessage } from './irc.external.js';
import { botRolesFromUserstate, isLoginFailure, mapIrcMessage } from './map-event.js';
import { classifyNotice, type Notice } from './notices.js';
import { createTmiClient, type TmiClient } from './tmi-client.js';
import { SendGate } from './send-gate.js';
import type { Helix } from './helix.js';
import { TwitchLiveWatch } from './live-watch.js';
import { JOIN_TIMEOUT_MS, type TwitchPlatformOptions } from './options.js';

export { JOIN_TIMEOUT_MS, type TwitchPlatformOptions } from './options.js';

/** Twitch chat behind `ChatPlatform`; tmi.js itself is touched only here and in tmi-client.ts. */
export class TwitchPlatform implements ChatPlatform {
  readonly id = 'twitch' as const;
  private client: TmiClient | null = null;
  private readonly ps = new PlatformState(() => this.status());
  private readonly seen = new SeenSet(20_000);
  private readonly backoff: Backoff;
  private reconnectTimer: TimerHandle | undefined;
  private joinTimer: TimerHandle | undefined;
  private stopping = false;
  private authFailed = false;
  private localIds = 0;
  private readonly nextLocalId = () => `local-${++this.localIds}`;
  private firstJoin: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly log: Logger;
  private username: string | undefined;
  private token: (() => string | Promise<string>) | undefined;
  private authRetried = false;
  private readonly gate: SendGate;
  private readonly liveWatch: TwitchLiveWatch | undefined;

  constructor(private readonly opts: TwitchPlatformOptions) {
    this.username = opts.username;
    this.token = opts.token;
    this.log = opts.logger.child({ platform: 'twitch', channel: opts.channel });
    this.backoff = new Backoff({ initialMs: opts.reconnect.initialMs, maxMs: opts.reconnect.maxMs, random: opts.random });
    this.gate = new SendGate({
      channel: opts.channel,
      clock: opts.clock,
      guard: opts.guard,
      health: opts.health,
      logger: this.log,
      refuseAll: (code) => this.ps.signal({ type: 'send-refused', scope: 'all', code }),
      changed: () => this.ps.set(this.ps.state, true),
    });
    if (opts.helix) {
      const { clock, guard, health } = opts;
      this.liveWatch = new TwitchLiveWatch({
        helix: opts.helix,
        channel: opts.channel,
        clock,
        guard,
        health,
        logger: this.log,
        onLive: (live) => this.ps.signal({ type: 'live', live }),
        onTitle: (title) => this.ps.signal({ type: 'title', title }),
      });
    }
  }

  onEvent(handler: (e: ChatEvent) => void): void {
    this.ps.onEvent(handler);
  }

  onSignal(handler: (s: PlatformSignal) => void): void {
    this.ps.onSignal(handler);
  }

  get loggedIn(): boolean {
    return Boolean(this.username && this.token);
  }

  /**
   * Connects and joins. Resolves once joined, or once the first attempt failed for a reason worth
   * retrying (unreachable, or no answer to the JOIN; it keeps retrying with backoff). Rejects only
   * when Twitch refused the login, since retrying a bad token is a loop that locks the account out.
   */
  start(): Promise<void> {
    this.stopping = false;
    this.liveWatch?.start();
    return new Promise<void>((resolve, reject) => {
      this.firstJoin = { resolve, reject };
      this.connect();
    });
  }

  private createClient(): TmiClient {
    const { username, token } = this;
    const client = createTmiClient({
      channel: this.opts.channel,
      server: this.opts.server,
      username,
      token,
      logger: this.log,
      health: this.opts.health,
      onReconnect: () => this.onServerReconnect(client),
      onLine: (message) => this.onLine(client, message),
    });
    // Logged in (376): tmi.js sends the JOIN now; Twitch answers it at once or never.
    client.on(
      'connected',
      this.opts.guard('twitch.connected', () => {
        if (client !== this.client) return;
        this.opts.clock.clearTimeout(this.joinTimer);
        this.joinTimer = this.opts.clock.setTimeout(
          this.opts.guard('twitch.join', () => this.onChannelMissing(client, 'no such channel, or it is suspended')),
          this.opts.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
        );
      }),
    );
    client.on(
      'join',
      this.opts.guard('twitch.join', (channel: string, _user: string, self: boolean) => {
        if (self && channel === `#${this.opts.channel}` && client === this.client) this.onJoined();
      }),
    );
    client.on(
      'disconnected',
      this.opts.guard('twitch.disconnected', (reason: string) => this.onDisconnected(client, reason)),
    );
    return client;
  }

  private connect(): void {
    if (this.stopping) return;
    if (this.ps.state !== 'failed') this.ps.set(this.ps.reconnects > 0 || this.backoff.attempts() > 0 ? 'reconnecting' : 'connecting');
    const client = this.createClient();
    this.client = client;
    // A new connection: the room's modes come with its ROOMSTATE; refusals are tried again.
    this.gate.reset();
    client.connect().catch((err: unknown) => {
      // Failures are handled by the 'disconnected' path; this keeps the rejection observed.
      this.log.debug({ reason: toError(err).message }, 'connect attempt failed');
    });
  }

  private onLine(client: TmiClient, message: TmiIrcMessage): void {
    if (client !== this.client || !message) return;
    if (isLoginFailure(message)) {
      this.authFailed = true;
      return;
    }
    const notice = classifyNotice(message);
    if (notice) return this.onNotice(client, notice);
    if (message.command === 'ROOMSTATE' && message.params?.[0] === `#${this.opts.channel}`) return this.gate.roomState(message.tags ?? {});
    const now = this.opts.clock.now();
    const event = mapIrcMessage(message, { now, nextLocalId: this.nextLocalId });
    if (!event || event.channel !== this.opts.channel) return;
    // Twitch may deliver a message twice; Shared Chat copies it into each channel with one source-id.
    if (!this.seen.add(event.sourceId ?? event.id)) return;
    if (event.sourceId && event.sourceId !== event.id) this.seen.add(event.id);
    if (event.kind === 'ban' && this.username && event.target?.login === this.username) this.gate.botBanned(event.target.durationSeconds);
    this.ps.emit(event, now);
  }

  private onNotice(client: TmiClient, notice: Notice): void {
    this.log.warn({ code: notice.code }, 'Twitch refused a message or the channel');
    switch (notice.kind) {
      case 'throttle':
        return this.ps.signal({ type: 'send-rejected', reason: notice.reason, code: notice.code });
      case 'message':
        return this.ps.signal({ type: 'send-refused', scope: 'message', code: notice.code });
      case 'channel':
        return this.onChannelMissing(client, 'this channel is suspended or does not exist');
      case 'blocked':
        return this.gate.refused(notice);
    }
  }

  /** No answer to the JOIN (or a suspended channel): failed, said plainly, retried with backoff. */
  private onChannelMissing(client: TmiClient, why: string): void {
    if (client !== this.client || this.ps.state === 'connected') return;
    const detail = `#${this.opts.channel}: ${why}; check twitch.channel`;
    const err = new LecternError('PLATFORM_CHANNEL_UNAVAILABLE', detail, { details: { channel: this.opts.channel } });
    this.opts.health.report('twitch', err);
    this.log.error({ code: err.code }, detail);
    this.scheduleReconnect(client, this.backoff.next(), detail, 'failed');
    this.firstJoin?.resolve();
    this.firstJoin = null;
  }

  private onJoined(): void {
    this.opts.clock.clearTimeout(this.joinTimer);
    this.backoff.reset();
    this.authRetried = false;
    this.ps.connectedAt = this.opts.clock.now();
    if (this.loggedIn || !this.opts.username) this.ps.detail = undefined;
    this.ps.set('connected', true);
    this.log.info({ loggedIn: this.loggedIn, botRoles: this.botRoles() }, 'joined chat');
    this.firstJoin?.resolve();
    this.firstJoin = null;
  }

  private onServerReconnect(client: TmiClient): void {
    if (client !== this.client) return;
    this.log.info('server asked to reconnect');
    // Planned maintenance: reconnect at once, without counting it as a failure.
    this.scheduleReconnect(client, 0, 'Twitch asked the bot to reconnect');
  }

  private onDisconnected(client: TmiClient, reason: string): void {
    if (client !== this.client || this.stopping) return;
    if (this.authFailed && this.opts.onAuthFailure && !this.authRetried) return this.retryAuth(client);
    if (this.authFailed) {
      const err = new LecternError(
        'PLATFORM_AUTH_FAILED',
        'Twitch refused the login: the token in TWITCH_OAUTH_TOKEN is invalid or expired, or does not belong to twitch.username',
        {
          details: { reason },
        },
      );
      this.ps.detail = err.message;
      this.ps.set('failed');
      this.opts.health.report('twitch', err);
      this.log.error({ code: err.code }, err.message);
      this.firstJoin?.reject(err);
      this.firstJoin = null;
      return;
    }
    const delay = this.backoff.next();
    this.scheduleReconnect(client, delay, `connection lost (${reason || 'closed'})`);
    if (this.firstJoin && this.backoff.attempts() === 1) {
      // Start-up goes on; the platform keeps retrying and says so in its status.
      this.opts.health.report(
        'twitch',
        new LecternError('PLATFORM_CONNECT_FAILED', `Cannot reach Twitch chat at ${this.opts.server.host}:${this.opts.server.port}; retrying`),
      );
      this.firstJoin.resolve();
      this.firstJoin = null;
    }
  }

  /** A refused login with a linked account: refresh and retry once, else read anonymously. */
  private retryAuth(client: TmiClient): void {
    this.authFailed = false;
    this.authRetried = true;
    this.client = null;
    this.disposeClient(client);
    void this.opts.onAuthFailure!().then(
      this.opts.guard('twitch.auth', (decision: 'retry' | 'anonymous') => {
        if (this.stopping) return;
        if (decision === 'anonymous') {
          this.username = undefined;
          this.token = undefined;
          this.ps.detail = 'reading anonymously: the linked account could not be refreshed; run `lectern auth twitch` again';
        }
        this.connect();
      }),
    );
  }

  private scheduleReconnect(client: TmiClient, delayMs: number, detail: string, state: 'reconnecting' | 'failed' = 'reconnecting'): void {
    if (this.reconnectTimer) return;
    this.opts.clock.clearTimeout(this.joinTimer);
    this.ps.reconnects++;
    this.ps.detail = detail;
    this.ps.set(state, true);
    this.log.warn({ delayMs, reconnects: this.ps.reconnects }, `${state === 'failed' ? 'failed' : 'reconnecting'}: ${detail}`);
    this.client = null;
    this.disposeClient(client);
    this.reconnectTimer = this.opts.clock.setTimeout(
      this.opts.guard('twitch.reconnect', () => {
        this.reconnectTimer = undefined;
        this.connect();
      }),
      delayMs,
    );
  }

  private disposeClient(client: TmiClient): void {
    client.removeAllListeners();
    if (client.readyState() === 'OPEN' || client.readyState() === 'CONNECTING') {
      client.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.liveWatch?.stop();
    for (const t of [this.reconnectTimer, this.joinTimer]) this.opts.clock.clearTimeout(t);
    this.gate.stop();
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      if (client.readyState() === 'OPEN') await client.disconnect().catch(() => undefined);
      else if (client.readyState() === 'CONNECTING') client.ws?.close();
    }
    this.ps.set('stopped');
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!this.loggedIn) throw new LecternError('PLATFORM_READ_ONLY', 'Twitch is read-only: no twitch.username and token');
    const client = this.client;
    if (!client || this.ps.state !== 'connected') throw new LecternError('PLATFORM_SEND_FAILED', 'Twitch chat is not connected');
    const refused = this.sendBlocked();
    if (refused) throw new LecternError('PLATFORM_SEND_REFUSED', refused);
    const replyTag = message.replyTo && /^[\w-]{1,64}$/.test(message.replyTo) ? `@reply-parent-msg-id=${message.replyTo} ` : '';
    // The outbox has already made the text one line; this is the last line of defence.
    const text = message.text.replace(/[\r\n]+/g, ' ');
    try {
      await client.raw(`${replyTag}PRIVMSG #${this.opts.channel} :${text}`);
      this.ps.messagesOut++;
    } catch (cause) {
      throw new LecternError('PLATFORM_SEND_FAILED', 'Twitch did not take the message', { cause });
    }
  }

  botRoles(): Role[] {
    return botRolesFromUserstate(this.client?.userstate?.[`#${this.opts.channel}`]);
  }

  limits(): SendLimits {
    return this.gate.limits(this.botRoles());
  }

  /** Why the bot may not speak now: a refusal from Twitch, or a room mode it does not meet. */
  private sendBlocked(): string | undefined {
    return this.gate.refusal(this.botRoles());
  }

  status(): PlatformStatus {
    const blocked = this.loggedIn ? this.sendBlocked() : undefined;
    const modes = this.gate.modes();
    const detail = this.ps.detail ?? blocked;
    return {
      platform: 'twitch',
      channel: this.opts.channel,
      ...this.ps.counters(),
      canSend: this.loggedIn && this.ps.state === 'connected' && !blocked,
      botRoles: this.botRoles(),
      ...(detail ? { detail } : {}),
      ...(blocked ? { sendBlocked: blocked } : {}),
      ...(modes.length ? { modes } : {}),
    };
  }
}
