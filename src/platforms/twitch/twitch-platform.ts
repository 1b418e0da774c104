import tmi from 'tmi.js';
import {
  Backoff, LecternError, SeenSet, toError,
  type ChatEvent, type ChatPlatform, type Clock, type ConnectionState, type Guard, type Health, type Logger,
  type OutgoingMessage, type PlatformSignal, type PlatformStatus, type Role, type SendLimits, type TimerHandle,
} from '../../core/index.js';
import type { TmiIrcMessage } from './irc.external.js';
import { botRolesFromUserstate, isLoginFailure, mapIrcMessage, mapSendRejection } from './map-event.js';
import { twitchLimits } from './limits.js';

export interface TwitchPlatformOptions {
  readonly channel: string;
  /** Absent: anonymous and read-only. */
  readonly username?: string;
  /** Returns the current user token, without `oauth:`. Called on every (re)connect. */
  readonly token?: () => string | Promise<string>;
  readonly server: { readonly host: string; readonly port: number; readonly secure: boolean };
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  /** How long `start()` waits for the first join before it reports and keeps retrying. */
  readonly connectTimeoutMs?: number;
  readonly random?: () => number;
  /**
   * Called when Twitch refuses the login. `retry`: a fresh token is ready, connect again;
   * `anonymous`: keep reading without logging in (read-only); `fail` (the default): stop.
   */
  readonly onAuthFailure?: () => Promise<'retry' | 'anonymous' | 'fail'>;
}

type TmiClient = tmi.Client & {
  handleMessage(message: TmiIrcMessage): void;
  _onMessage(event: { data: unknown }): void;
  userstate: Record<string, Record<string, unknown>>;
  ws: { readyState: number; close(): void } | null;
};

/** A tmi.js client behind `ChatPlatform`: the only file that touches tmi.js. */
export class TwitchPlatform implements ChatPlatform {
  readonly id = 'twitch' as const;
  private client: TmiClient | null = null;
  private state: ConnectionState = 'idle';
  private detail: string | undefined;
  private readonly eventHandlers: Array<(e: ChatEvent) => void> = [];
  private readonly signalHandlers: Array<(s: PlatformSignal) => void> = [];
  private readonly seen = new SeenSet(20_000);
  private readonly backoff: Backoff;
  private reconnectTimer: TimerHandle | undefined;
  private stopping = false;
  private authFailed = false;
  private reconnects = 0;
  private connectedAt: number | null = null;
  private lastMessageAt: number | null = null;
  private messagesIn = 0;
  private messagesOut = 0;
  private localIds = 0;
  private readonly nextLocalId = () => `local-${++this.localIds}`;
  private firstJoin: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly log: Logger;
  private username: string | undefined;
  private token: (() => string | Promise<string>) | undefined;
  private authRetried = false;

  constructor(private readonly opts: TwitchPlatformOptions) {
    this.username = opts.username;
    this.token = opts.token;
    this.log = opts.logger.child({ platform: 'twitch', channel: opts.channel });
    this.backoff = new Backoff({ initialMs: opts.reconnect.initialMs, maxMs: opts.reconnect.maxMs, ...(opts.random ? { random: opts.random } : {}) });
  }

  onEvent(handler: (e: ChatEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  onSignal(handler: (s: PlatformSignal) => void): void {
    this.signalHandlers.push(handler);
  }

  get loggedIn(): boolean {
    return Boolean(this.username && this.token);
  }

  /**
   * Connects and joins. Resolves once joined, or once the first attempt failed for a reason worth
   * retrying (then it keeps retrying with backoff). Rejects only when Twitch refused the login,
   * since retrying a bad token is a loop that gets the account locked out.
   */
  start(): Promise<void> {
    this.stopping = false;
    return new Promise<void>((resolve, reject) => {
      this.firstJoin = { resolve, reject };
      this.connect();
    });
  }

  private createClient(): TmiClient {
    const { username, token } = this;
    const { server } = this.opts;
    const silent = () => undefined;
    const client = new tmi.Client({
      options: { skipUpdatingEmotesets: true, joinInterval: 300 },
      connection: { server: server.host, port: server.port, secure: server.secure, reconnect: false, timeout: 10_000 },
      // tmi.js logs every chat line with its text; ours takes only its errors, never chat text.
      logger: { info: silent, warn: silent, error: (m: unknown) => this.log.warn({ tmi: String(toError(m).message).slice(0, 200) }, 'tmi.js error') },
      identity: username && token ? { username, password: async () => `oauth:${await token()}` } : {},
      channels: [this.opts.channel],
    } as tmi.Options) as TmiClient;

    // Every line passes through here once tmi.js has parsed it. A malformed line must not throw
    // out of the socket's message handler (that would crash the process), so both are guarded.
    const handle = client.handleMessage.bind(client);
    client.handleMessage = (message: TmiIrcMessage) => {
      if (message?.command === 'RECONNECT') return this.onServerReconnect(client);
      try {
        handle(message);
      } catch (err) {
        this.opts.health.report('twitch.parse', err);
      }
      this.onLine(client, message);
    };
    const onMessage = client._onMessage.bind(client);
    client._onMessage = (event: { data: unknown }) => {
      if (typeof event?.data !== 'string') return;
      try {
        onMessage(event);
      } catch (err) {
        this.opts.health.report('twitch.parse', err);
      }
    };
    client.on('join', this.opts.guard('twitch.join', (channel: string, _user: string, self: boolean) => {
      if (self && channel === `#${this.opts.channel}`) this.onJoined();
    }));
    client.on('disconnected', this.opts.guard('twitch.disconnected', (reason: string) => this.onDisconnected(client, reason)));
    return client;
  }

  private connect(): void {
    if (this.stopping) return;
    this.setState(this.reconnects > 0 || this.backoff.attempts() > 0 ? 'reconnecting' : 'connecting');
    const client = this.createClient();
    this.client = client;
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
    const rejection = mapSendRejection(message);
    if (rejection) {
      this.emitSignal({ type: 'send-rejected', ...rejection });
      return;
    }
    const now = this.opts.clock.now();
    const event = mapIrcMessage(message, { now, nextLocalId: this.nextLocalId });
    if (!event || event.channel !== this.opts.channel) return;
    // Twitch may deliver a message twice; Shared Chat copies it into each channel with one source-id.
    if (!this.seen.add(event.sourceId ?? event.id)) return;
    if (event.sourceId && event.sourceId !== event.id) this.seen.add(event.id);
    this.messagesIn++;
    this.lastMessageAt = now;
    for (const h of this.eventHandlers) h(event);
  }

  private onJoined(): void {
    this.backoff.reset();
    this.authRetried = false;
    this.connectedAt = this.opts.clock.now();
    if (this.loggedIn || !this.opts.username) this.detail = undefined;
    this.setState('connected');
    this.log.info({ loggedIn: this.loggedIn, botRoles: this.botRoles() }, 'joined chat');
    if (!this.loggedIn && this.opts.username) this.emitSignal({ type: 'status', status: this.status() });
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
    if (this.authFailed && this.opts.onAuthFailure && !this.authRetried) {
      this.authFailed = false;
      this.authRetried = true;
      this.client = null;
      this.disposeClient(client);
      void this.opts.onAuthFailure().then(
        this.opts.guard('twitch.auth', (decision: 'retry' | 'anonymous' | 'fail') => {
          if (this.stopping) return;
          if (decision === 'anonymous') {
            this.username = undefined;
            this.token = undefined;
            this.detail = 'reading anonymously: the linked account could not be refreshed; run `lectern auth twitch` again';
          }
          if (decision === 'fail') {
            this.authFailed = true;
            return this.onDisconnected(client, reason);
          }
          this.connect();
        }),
      );
      return;
    }
    if (this.authFailed) {
      const err = new LecternError('PLATFORM_AUTH_FAILED', 'Twitch refused the login: the token in TWITCH_OAUTH_TOKEN is invalid or expired, or does not belong to twitch.username', {
        details: { reason },
      });
      this.detail = err.message;
      this.setState('failed');
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
      this.opts.health.report('twitch', new LecternError('PLATFORM_CONNECT_FAILED', `Cannot reach Twitch chat at ${this.opts.server.host}:${this.opts.server.port}; retrying`));
      this.firstJoin.resolve();
      this.firstJoin = null;
    }
  }

  private scheduleReconnect(client: TmiClient, delayMs: number, detail: string): void {
    if (this.reconnectTimer) return;
    this.reconnects++;
    this.detail = detail;
    this.setState('reconnecting');
    this.log.warn({ delayMs, reconnects: this.reconnects }, 'reconnecting');
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
    this.opts.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      if (client.readyState() === 'OPEN') await client.disconnect().catch(() => undefined);
      else if (client.readyState() === 'CONNECTING') client.ws?.close();
    }
    this.setState('stopped');
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!this.loggedIn) throw new LecternError('PLATFORM_READ_ONLY', 'Twitch is read-only: no twitch.username and token');
    const client = this.client;
    if (!client || this.state !== 'connected') throw new LecternError('PLATFORM_SEND_FAILED', 'Twitch chat is not connected');
    const replyTag = message.replyTo && /^[\w-]{1,64}$/.test(message.replyTo) ? `@reply-parent-msg-id=${message.replyTo} ` : '';
    // The outbox has already made the text one line; this is the last line of defence.
    const text = message.text.replace(/[\r\n]+/g, ' ');
    try {
      await client.raw(`${replyTag}PRIVMSG #${this.opts.channel} :${text}`);
      this.messagesOut++;
    } catch (cause) {
      throw new LecternError('PLATFORM_SEND_FAILED', 'Twitch did not take the message', { cause });
    }
  }

  botRoles(): Role[] {
    return botRolesFromUserstate(this.client?.userstate?.[`#${this.opts.channel}`]);
  }

  limits(): SendLimits {
    return twitchLimits(this.botRoles());
  }

  status(): PlatformStatus {
    return {
      platform: 'twitch',
      state: this.state,
      channel: this.opts.channel,
      canSend: this.loggedIn && this.state === 'connected',
      botRoles: this.botRoles(),
      lastMessageAt: this.lastMessageAt,
      connectedAt: this.connectedAt,
      reconnects: this.reconnects,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitSignal({ type: 'status', status: this.status() });
  }

  private emitSignal(signal: PlatformSignal): void {
    for (const h of this.signalHandlers) h(signal);
  }
}
