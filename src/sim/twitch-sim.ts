import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';
import { LIMITS, privmsgLine, refusal, type SimBotRefusal, type SimRoomModes } from './twitch-sim-rules.js';

export type { SimBotRefusal, SimRoomModes } from './twitch-sim-rules.js';

export interface SimUser {
  readonly login: string;
  readonly displayName?: string;
  readonly id?: string;
  /** e.g. { moderator: '1', subscriber: '3' } */
  readonly badges?: Record<string, string>;
}

export interface SentMessage {
  readonly at: number;
  readonly login: string;
  readonly channel: string;
  readonly text: string;
  readonly replyTo?: string;
  /** Why the simulated server refused it, if it did. */
  readonly rejected?: 'ratelimit' | 'duplicate';
}

export interface TwitchSimOptions {
  readonly clock?: Clock;
  /** Tokens accepted for PASS (without `oauth:`); any other logged-in attempt fails. */
  readonly validTokens?: readonly string[];
  /** Or a live check (an OAuth simulator with expiry and revocation). */
  readonly isValidToken?: (token: string) => boolean;
  /** The bot's badge in every channel it joins. */
  readonly botRole?: 'none' | 'moderator' | 'vip' | 'broadcaster';
  readonly roomId?: string;
  /** Channels that exist; a JOIN to any other is dropped without an answer, as Twitch does. Default: all. */
  readonly channels?: readonly string[];
  /** Channels that are suspended: a JOIN is answered with `msg_channel_suspended`. */
  readonly suspended?: readonly string[];
}

interface Conn {
  readonly ws: WebSocket;
  nick?: string;
  pass?: string;
  loggedIn: boolean;
  readonly channels: Set<string>;
}

/**
 * Twitch chat (IRC over WebSocket, sub-protocol `irc`) on loopback: handshake, PING/PONG, JOIN,
 * USERSTATE, ROOMSTATE, chat injection, what the bot sends (checked against Twitch's limits),
 * dropped connections, RECONNECT and login failures.
 */
export class TwitchSim {
  private wss: WebSocketServer | undefined;
  private readonly conns = new Set<Conn>();
  private readonly clock: Clock;
  private nextMsgId = 1;
  private failLogins = 0;
  private readonly sendLog = new Map<string, number[]>();
  private readonly sentListeners: Array<(m: SentMessage) => void> = [];
  readonly sent: SentMessage[] = [];
  /** Messages that went over a limit Twitch enforces. */
  readonly violations: SentMessage[] = [];
  connectionsAccepted = 0;
  loginsRefused = 0;
  botRole: 'none' | 'moderator' | 'vip' | 'broadcaster';
  /** Messages refused with a NOTICE (never shown in chat), with the msg-id. */
  readonly refused: Array<SentMessage & { code: string }> = [];
  private botRefusal: SimBotRefusal | undefined;
  private readonly timeouts = new Map<string, number>();
  private readonly rooms = new Map<string, SimRoomModes>();

  constructor(private readonly opts: TwitchSimOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.botRole = opts.botRole ?? 'none';
  }

  get port(): number {
    return (this.wss?.address() as AddressInfo).port;
  }

  start(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port, handleProtocols: (p) => (p.has('irc') ? 'irc' : false) });
      this.wss = wss;
      wss.once('error', reject);
      wss.on('listening', () => resolve(this.port));
      wss.on('connection', (ws) => this.accept(ws));
    });
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
  }

  onSent(listener: (m: SentMessage) => void): void {
    this.sentListeners.push(listener);
  }

  /** Refuse the next `n` logins with Twitch's "Login authentication failed". */
  refuseLogins(n: number): void {
    this.failLogins = n;
  }

  /** Number of open connections that have joined `channel`. */
  joined(channel: string): number {
    let n = 0;
    for (const c of this.conns) if (c.channels.has(channel)) n++;
    return n;
  }

  /** A viewer writes in chat. Returns the message id. */
  chat(channel: string, user: SimUser, text: string, extraTags: Record<string, string> = {}): string {
    const id = extraTags['id'] ?? `sim-${this.nextMsgId++}`;
    this.broadcast(channel, this.privmsgLine(channel, user, text, { ...extraTags, id }));
    return id;
  }

  /** The IRC line for a viewer's message, with Twitch's tags. */
  privmsgLine(channel: string, user: SimUser, text: string, extraTags: Record<string, string> = {}): string {
    return privmsgLine(channel, user, text, {
      id: `sim-${this.nextMsgId++}`,
      'room-id': this.opts.roomId ?? '1000',
      'tmi-sent-ts': String(this.clock.now()),
      ...extraTags,
    });
  }

  /** Sends raw lines to every connection that joined `channel` (or to all, without a channel). */
  broadcast(channel: string | null, ...lines: string[]): void {
    const frame = lines.join('\r\n');
    for (const c of this.conns) if (channel === null || c.channels.has(channel)) c.ws.send(frame);
  }

  /** A Bits cheer: the `bits` tag, and the cheermote in the text as Twitch writes it. */
  cheer(channel: string, user: SimUser, bits: number, text: string): string {
    return this.chat(channel, { ...user, badges: { ...user.badges, bits: '100' } }, `Cheer${bits} ${text}`, { bits: String(bits) });
  }

  /** Shared Chat: a message written in a partner's channel, copied into this one. */
  sharedChat(channel: string, user: SimUser, text: string, sourceRoomId: string): string {
    const sourceId = `src-${this.nextMsgId++}`;
    return this.chat(channel, user, text, { 'source-id': sourceId, 'source-room-id': sourceRoomId, 'source-badges': '', 'source-only': '0' });
  }

  /** A moderator deletes one message (CLEARMSG). */
  deleteMessage(channel: string, messageId: string, login: string): void {
    this.broadcast(channel, `@login=${login};room-id=;target-msg-id=${messageId};tmi-sent-ts=${this.clock.now()} :tmi.twitch.tv CLEARMSG #${channel} :deleted`);
  }

  /** A ban (no duration) or a timeout (`seconds`) of one viewer (CLEARCHAT with a target). */
  ban(channel: string, user: SimUser, seconds?: number): void {
    const id = user.id ?? `u-${user.login}`;
    if (seconds) this.timeouts.set(user.login, this.clock.now() + seconds * 1000);
    const duration = seconds ? `ban-duration=${seconds};` : '';
    this.broadcast(
      channel,
      `@${duration}room-id=${this.opts.roomId ?? '1000'};target-user-id=${id};tmi-sent-ts=${this.clock.now()} :tmi.twitch.tv CLEARCHAT #${channel} :${user.login}`,
    );
  }

  /** A moderator clears the whole chat (CLEARCHAT without a target). */
  clearChat(channel: string): void {
    this.broadcast(channel, `@room-id=${this.opts.roomId ?? '1000'};tmi-sent-ts=${this.clock.now()} :tmi.twitch.tv CLEARCHAT #${channel}`);
  }

  /** From now on every message of the bot's account is refused with this NOTICE (undefined lifts it). */
  refuseBot(refusal: SimBotRefusal | undefined): void {
    this.botRefusal = refusal;
  }

  /** Changes chat modes; the change is announced as Twitch does, one ROOMSTATE with only what changed. */
  setRoomModes(channel: string, modes: SimRoomModes): void {
    this.rooms.set(channel, { ...this.rooms.get(channel), ...modes });
    const tags: string[] = [];
    if (modes.emoteOnly !== undefined) tags.push(`emote-only=${modes.emoteOnly ? 1 : 0}`);
    if (modes.followersOnly !== undefined) tags.push(`followers-only=${modes.followersOnly}`);
    if (modes.r9k !== undefined) tags.push(`r9k=${modes.r9k ? 1 : 0}`);
    tags.push(`room-id=${this.opts.roomId ?? '1000'}`);
    if (modes.slow !== undefined) tags.push(`slow=${modes.slow}`);
    if (modes.subsOnly !== undefined) tags.push(`subs-only=${modes.subsOnly ? 1 : 0}`);
    this.broadcast(channel, `@${tags.join(';')} :tmi.twitch.tv ROOMSTATE #${channel}`);
  }

  /** Closes every connection abruptly, as a network fault would. */
  dropConnections(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  /** Asks every client to reconnect, as Twitch does before maintenance. */
  sendReconnect(): void {
    this.broadcast(null, ':tmi.twitch.tv RECONNECT');
  }

  private accept(ws: WebSocket): void {
    this.connectionsAccepted++;
    const conn: Conn = { ws, loggedIn: false, channels: new Set() };
    this.conns.add(conn);
    ws.on('message', (data) => {
      for (const line of data.toString().split('\r\n')) if (line) this.onLine(conn, line);
    });
    ws.on('close', () => this.conns.delete(conn));
    ws.on('error', () => this.conns.delete(conn));
  }

  private send(conn: Conn, ...lines: string[]): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(lines.join('\r\n'));
  }

  private onLine(conn: Conn, line: string): void {
    let tags: Record<string, string> = {};
    let rest = line;
    if (rest.startsWith('@')) {
      const sp = rest.indexOf(' ');
      tags = Object.fromEntries(
        rest
          .slice(1, sp)
          .split(';')
          .map((kv) => kv.split('=') as [string, string]),
      );
      rest = rest.slice(sp + 1);
    }
    const sp = rest.indexOf(' ');
    const cmd = sp < 0 ? rest : rest.slice(0, sp);
    const arg = sp < 0 ? '' : rest.slice(sp + 1);
    switch (cmd) {
      case 'CAP':
        return this.send(conn, `:tmi.twitch.tv CAP * ACK :${arg.replace(/^REQ :/, '')}`);
      case 'PASS':
        conn.pass = arg.replace(/^oauth:/, '');
        return;
      case 'NICK':
        return this.login(conn, arg.trim().toLowerCase());
      case 'PING':
        return this.send(conn, 'PONG :tmi.twitch.tv');
      case 'JOIN':
        for (const ch of arg.split(',')) this.join(conn, ch.trim().replace(/^#/, ''));
        return;
      case 'PART':
        for (const ch of arg.split(',')) {
          const name = ch.trim().replace(/^#/, '');
          conn.channels.delete(name);
          this.send(conn, `:${conn.nick}!${conn.nick}@${conn.nick}.tmi.twitch.tv PART #${name}`);
        }
        return;
      case 'PRIVMSG': {
        const m = /^#(\S+) :(.*)$/s.exec(arg);
        if (!m || !conn.loggedIn) return;
        return this.received(conn, m[1]!, m[2]!, tags['reply-parent-msg-id']);
      }
      default:
        return;
    }
  }

  private login(conn: Conn, nick: string): void {
    conn.nick = nick;
    const anonymous = /^justinfan\d+$/.test(nick);
    const valid =
      anonymous || (conn.pass !== undefined && ((this.opts.validTokens ?? []).includes(conn.pass) || (this.opts.isValidToken?.(conn.pass) ?? false)));
    if (!valid || (!anonymous && this.failLogins > 0)) {
      if (this.failLogins > 0) this.failLogins--;
      this.loginsRefused++;
      this.send(conn, ':tmi.twitch.tv NOTICE * :Login authentication failed');
      setTimeout(() => conn.ws.close(), 5);
      return;
    }
    conn.loggedIn = !anonymous;
    this.send(
      conn,
      `:tmi.twitch.tv 001 ${nick} :Welcome, GLHF!`,
      `:tmi.twitch.tv 002 ${nick} :Your host is tmi.twitch.tv`,
      `:tmi.twitch.tv 003 ${nick} :This server is rather new`,
      `:tmi.twitch.tv 004 ${nick} :-`,
      `:tmi.twitch.tv 375 ${nick} :-`,
      `:tmi.twitch.tv 372 ${nick} :You are in a maze of twisty passages, all alike.`,
      `:tmi.twitch.tv 376 ${nick} :>`,
    );
    if (conn.loggedIn)
      this.send(conn, `@badge-info=;badges=;color=;display-name=${nick};emote-sets=0;user-id=b-${nick};user-type= :tmi.twitch.tv GLOBALUSERSTATE`);
  }

  private userstate(conn: Conn, channel: string): string {
    const role = this.botRole;
    const badges = role === 'none' ? '' : `${role}/1`;
    const mod = role === 'moderator' || role === 'broadcaster' ? '1' : '0';
    return `@badge-info=;badges=${badges};color=;display-name=${conn.nick};emote-sets=0;mod=${mod};subscriber=0;user-type=${mod === '1' ? 'mod' : ''} :tmi.twitch.tv USERSTATE #${channel}`;
  }

  private join(conn: Conn, channel: string): void {
    if (!conn.nick || !/^[a-z0-9_]{1,25}$/.test(channel)) return;
    if (this.opts.suspended?.includes(channel)) {
      this.send(conn, `@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #${channel} :This channel has been suspended.`);
      return;
    }
    // A channel that does not exist: Twitch says nothing at all.
    if (this.opts.channels && !this.opts.channels.includes(channel)) return;
    conn.channels.add(channel);
    const lines = [`:${conn.nick}!${conn.nick}@${conn.nick}.tmi.twitch.tv JOIN #${channel}`];
    if (conn.loggedIn) lines.push(this.userstate(conn, channel));
    const r = this.rooms.get(channel) ?? {};
    lines.push(
      `@emote-only=${r.emoteOnly ? 1 : 0};followers-only=${r.followersOnly ?? -1};r9k=${r.r9k ? 1 : 0};room-id=${this.opts.roomId ?? '1000'};slow=${r.slow ?? 0};subs-only=${r.subsOnly ? 1 : 0} :tmi.twitch.tv ROOMSTATE #${channel}`,
    );
    this.send(conn, ...lines);
  }

  private received(conn: Conn, channel: string, text: string, replyTo: string | undefined): void {
    const now = this.clock.now();
    const login = conn.nick!;
    const refused = refusal({
      channel,
      now,
      role: this.botRole,
      bot: this.botRefusal,
      timedOutUntil: this.timeouts.get(login),
      modes: this.rooms.get(channel) ?? {},
      times: this.sendLog.get(login) ?? [],
    });
    if (refused) {
      const msg = { at: now, login, channel, text, code: refused.code, ...(replyTo ? { replyTo } : {}) };
      this.refused.push(msg);
      this.send(conn, `@msg-id=${refused.code} :tmi.twitch.tv NOTICE #${channel} :${refused.text}`);
      return;
    }
    const key = `${login}`;
    const times = (this.sendLog.get(key) ?? []).filter((t) => t > now - LIMITS.windowMs);
    const elevated = this.botRole !== 'none';
    const over =
      times.length >= (elevated ? LIMITS.elevated : LIMITS.regular) || (!elevated && times.length > 0 && now - times[times.length - 1]! < LIMITS.minGapMs);
    const duplicate = this.sent.some((m) => m.login === login && m.channel === channel && m.text === text && !m.rejected && m.at > now - LIMITS.windowMs);
    times.push(now);
    this.sendLog.set(key, times);
    const rejected = over ? ('ratelimit' as const) : duplicate ? ('duplicate' as const) : undefined;
    const msg: SentMessage = { at: now, login, channel, text, ...(replyTo ? { replyTo } : {}), ...(rejected ? { rejected } : {}) };
    this.sent.push(msg);
    if (over) this.violations.push(msg);
    if (rejected === 'ratelimit')
      this.send(conn, `@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #${channel} :Your message was not sent because you are sending messages too quickly.`);
    else if (rejected === 'duplicate')
      this.send(
        conn,
        `@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #${channel} :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.`,
      );
    else this.send(conn, this.userstate(conn, channel));
    for (const l of this.sentListeners) l(msg);
  }
}
