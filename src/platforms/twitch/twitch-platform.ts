import tmi from 'tmi.js';
import {
  Backoff, LecternError, PlatformState, SeenSet, toError,
  type ChatEvent, type ChatPlatform, type Clock, type Guard, type Health, type Logger,
  type OutgoingMessage, type PlatformSignal, type PlatformStatus, type Role, type SendLimits, type TimerHandle,
} from '../../core/index.js';
import type { TmiIrcMessage } from './irc.external.js';
import { botRolesFromUserstate, isLoginFailure, mapIrcMessage } from './map-event.js';
import { twitchLimits } from './limits.js';
import { BLOCK_RETRY_MS, classifyNotice, type Notice } from './notices.js';
import { applyRoomState, describeModes, OPEN_ROOM, roomBlock, slowMs, type RoomModes } from './room.js';
import type { Helix } from './helix.js';
import { TwitchLiveWatch } from './live-watch.js';

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
  /**
   * How long a JOIN may go unanswered once logged in. Twitch drops a JOIN to a channel that does
   * not exist (or is suspended) without a word; only this timeout tells that from a slow server.
   */
  readonly joinTimeoutMs?: number;
  readonly random?: () => number;
  /**
   * Called when Twitch refuses the login. `retry`: a fresh token is ready, connect again;
   * `anonymous`: keep reading without logging in (read-only).
   */
  readonly onAuthFailure?: () => Promise<'retry' | 'anonymous'>;
  /** When given, the channel's live status (start, title, archive video) is asked of Helix. */
  readonly helix?: Helix;
}

/** Reading never holds the event loop longer than this at a time. */
const SLICE_MS = 8;
const EMPTY_FRAME = { data: '' };

/** Twitch answers a JOIN in well under a second; 15 s without an answer means no such channel. */
export const JOIN_TIMEOUT_MS = 15_000;

type TmiClient = tmi.Client & {
  handleMessage(message: TmiIrcMessage): void;
  _onMessage(event: { data: unknown }): void;
  userstate: Record<string, Record<string, unknown>>;
  ws: { readyState: number; close(): void } | null;
};

/** Why the bot may not speak right now, and until when (a reconnect also lifts it). */
interface SendBlock {
  readonly code: string;
  readonly fix: string;
  readonly until: number;
}

/** A tmi.js client behind `ChatPlatform`: the only file that touches tmi.js. */
export class TwitchPlatform implements ChatPlatform {
  readonly id = 'twitch' as const;
  private client: TmiClient | null = null;
  private readonly ps = new PlatformState(() => this.status());
  private readonly seen = new SeenSet(20_000);
  private readonly backoff: Backoff;
  private reconnectTimer: TimerHandle | undefined;
  private joinTimer: TimerHandle | undefined;
  private blockTimer: TimerHandle | undefined;
  private stopping = false;
  private authFailed = false;
  private localIds = 0;
  private readonly nextLocalId = () => `local-${++this.localIds}`;
  private firstJoin: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly log: Logger;
  private username: string | undefined;
  private token: (() => string | Promise<string>) | undefined;
  private authRetried = false;
  private room: RoomModes = OPEN_ROOM;
  private block: SendBlock | undefined;
  private readonly liveWatch: TwitchLiveWatch | undefined;

  constructor(private readonly opts: TwitchPlatformOptions) {
    this.username = opts.username;
    this.token = opts.token;
    this.log = opts.logger.child({ platform: 'twitch', channel: opts.channel });
    this.backoff = new Backoff({ initialMs: opts.reconnect.initialMs, maxMs: opts.reconnect.maxMs, ...(opts.random ? { random: opts.random } : {}) });
    if (opts.helix) {
      const { clock, guard, health } = opts;
      this.liveWatch = new TwitchLiveWatch({ helix: opts.helix, channel: opts.channel, clock, guard, health, logger: this.log, onLive: (live) => this.ps.signal({ type: 'live', live }) });
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
    // Frames are handled in slices of a few milliseconds, yielding in between: when the socket
    // hands over megabytes at once (a backlog after a pause, a flood), the event loop still
    // answers the dashboard and /healthz meanwhile. Order is kept.
    const onMessage = client._onMessage.bind(client);
    const frames: Array<{ data: unknown }> = [];
    let next = 0;
    const drain = () => {
      const until = performance.now() + SLICE_MS;
      while (next < frames.length && performance.now() < until) {
        const event = frames[next]!;
        frames[next++] = EMPTY_FRAME;
        try {
          onMessage(event);
        } catch (err) {
          this.opts.health.report('twitch.parse', err);
        }
      }
      if (next < frames.length) return void setImmediate(drain);
      frames.length = 0;
      next = 0;
    };
    client._onMessage = (event: { data: unknown }) => {
      if (typeof event?.data !== 'string') return;
      frames.push(event);
      if (frames.length - next === 1) setImmediate(drain);
    };
    // Logged in (376): tmi.js sends the JOIN now; Twitch answers it at once or never.
    client.on('connected', this.opts.guard('twitch.connected', () => {
      if (client !== this.client) return;
      this.opts.clock.clearTimeout(this.joinTimer);
      this.joinTimer = this.opts.clock.setTimeout(this.opts.guard('twitch.join', () => this.onChannelMissing(client, 'no such channel, or it is suspended')), this.opts.joinTimeoutMs ?? JOIN_TIMEOUT_MS);
    }));
    client.on('join', this.opts.guard('twitch.join', (channel: string, _user: string, self: boolean) => {
      if (self && channel === `#${this.opts.channel}` && client === this.client) this.onJoined();
    }));
    client.on('disconnected', this.opts.guard('twitch.disconnected', (reason: string) => this.onDisconnected(client, reason)));
    return client;
  }

  private connect(): void {
    if (this.stopping) return;
    if (this.ps.state !== 'failed') this.ps.set(this.ps.reconnects > 0 || this.backoff.attempts() > 0 ? 'reconnecting' : 'connecting');
    const client = this.createClient();
    this.client = client;
    this.room = OPEN_ROOM;
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
    if (message.command === 'ROOMSTATE' && message.params?.[0] === `#${this.opts.channel}`) return this.onRoomState(message.tags ?? {});
    const now = this.opts.clock.now();
    const event = mapIrcMessage(message, { now, nextLocalId: this.nextLocalId });
    if (!event || event.channel !== this.opts.channel) return;
    // Twitch may deliver a message twice; Shared Chat copies it into each channel with one source-id.
    if (!this.seen.add(event.sourceId ?? event.id)) return;
    if (event.sourceId && event.sourceId !== event.id) this.seen.add(event.id);
    if (event.kind === 'ban' && this.username && event.target?.login === this.username) this.onBotBanned(event.target.durationSeconds);
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
      case 'blocked': {
        const ms = notice.seconds ? notice.seconds * 1000 : BLOCK_RETRY_MS;
        return this.blockSending({ code: notice.code, fix: notice.fix, until: this.opts.clock.now() + ms });
      }
    }
  }

  /** A CLEARCHAT naming the bot: timed out for its duration, or banned. */
  private onBotBanned(durationSeconds: number | undefined): void {
    if (durationSeconds) {
      this.blockSending({ code: 'msg_timedout', fix: `the bot account is timed out in this channel for ${durationSeconds} s; it answers again when the timeout ends`, until: this.opts.clock.now() + durationSeconds * 1000 });
    } else {
      this.blockSending({ code: 'msg_banned', fix: 'the bot account is banned in this channel: unban it (/unban <bot>) so it can answer', until: this.opts.clock.now() + BLOCK_RETRY_MS });
    }
  }

  /**
   * The bot cannot speak here for now: what waits is refused (not delivered), the status says what
   * to do, and sending tries again after `until` or at the next reconnect. Reading goes on.
   */
  private blockSending(block: SendBlock): void {
    const first = !this.block || this.block.code !== block.code;
    this.block = block;
    this.opts.clock.clearTimeout(this.blockTimer);
    this.blockTimer = this.opts.clock.setTimeout(this.opts.guard('twitch.unblock', () => this.unblock()), block.until - this.opts.clock.now());
    if (first) {
      const err = new LecternError('PLATFORM_SEND_REFUSED', `Twitch refuses the bot's messages in #${this.opts.channel} (${block.code}): ${block.fix}`, { details: { code: block.code } });
      this.opts.health.report('twitch.send', err);
      this.log.error({ code: block.code }, err.message);
    }
    this.ps.signal({ type: 'send-refused', scope: 'all', code: block.code });
    this.ps.set(this.ps.state, true);
  }

  private unblock(): void {
    if (!this.block) return;
    this.opts.clock.clearTimeout(this.blockTimer);
    this.block = undefined;
    this.log.info('trying to send again');
    this.ps.set(this.ps.state, true);
  }

  private onRoomState(tags: Record<string, unknown>): void {
    const before = describeModes(this.room).join();
    this.room = applyRoomState(this.room, tags);
    // A mode that refused the bot has ended: try again now.
    if (this.block && /^msg_(followersonly|subsonly|emoteonly)/.test(this.block.code)) this.unblock();
    if (describeModes(this.room).join() !== before) {
      this.log.info({ modes: describeModes(this.room) }, 'chat modes changed');
      this.ps.set(this.ps.state, true);
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
    // A reconnect is the moment to try sending again after a refusal.
    this.opts.clock.clearTimeout(this.blockTimer);
    this.block = undefined;
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
      const err = new LecternError('PLATFORM_AUTH_FAILED', 'Twitch refused the login: the token in TWITCH_OAUTH_TOKEN is invalid or expired, or does not belong to twitch.username', {
        details: { reason },
      });
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
      this.opts.health.report('twitch', new LecternError('PLATFORM_CONNECT_FAILED', `Cannot reach Twitch chat at ${this.opts.server.host}:${this.opts.server.port}; retrying`));
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
    this.log.warn({ delayMs, reconnects: this.ps.reconnects }, 'reconnecting');
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
    for (const t of [this.reconnectTimer, this.joinTimer, this.blockTimer]) this.opts.clock.clearTimeout(t);
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
    const roles = this.botRoles();
    const limits = twitchLimits(roles);
    const slow = slowMs(this.room, roles);
    return slow > limits.minIntervalMs ? { ...limits, minIntervalMs: slow } : limits;
  }

  /** Why the bot may not speak now: a refusal from Twitch, or a room mode it does not meet. */
  private sendBlocked(): string | undefined {
    return this.block?.fix ?? roomBlock(this.room, this.botRoles());
  }

  status(): PlatformStatus {
    const blocked = this.loggedIn ? this.sendBlocked() : undefined;
    const modes = describeModes(this.room);
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
