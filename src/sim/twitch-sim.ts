import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';

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
}

interface Conn {
  readonly ws: WebSocket;
  nick?: string;
  pass?: string;
  loggedIn: boolean;
  readonly channels: Set<string>;
}

const LIMITS = { windowMs: 30_000, regular: 20, elevated: 100, minGapMs: 1_000 };

function escapeTag(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\:').replace(/ /g, '\\s').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
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
    const badges = Object.entries(user.badges ?? {}).map(([k, v]) => `${k}/${v}`).join(',');
    const tags: Record<string, string> = {
      'badge-info': '',
      badges,
      color: '#1E90FF',
      'display-name': user.displayName ?? user.login,
      emotes: '',
      'first-msg': '0',
      flags: '',
      id: `sim-${this.nextMsgId++}`,
      mod: user.badges?.['moderator'] ? '1' : '0',
      'room-id': this.opts.roomId ?? '1000',
      subscriber: user.badges?.['subscriber'] ? '1' : '0',
      'tmi-sent-ts': String(this.clock.now()),
      turbo: '0',
      'user-id': user.id ?? `u-${user.login}`,
      'user-type': user.badges?.['moderator'] ? 'mod' : '',
      ...extraTags,
    };
    const tagText = Object.entries(tags).map(([k, v]) => `${k}=${escapeTag(v)}`).join(';');
    return `@${tagText} :${user.login}!${user.login}@${user.login}.tmi.twitch.tv PRIVMSG #${channel} :${text}`;
  }

  /** Sends raw lines to every connection that joined `channel` (or to all, without a channel). */
  broadcast(channel: string | null, ...lines: string[]): void {
    const frame = lines.join('\r\n');
    for (const c of this.conns) if (channel === null || c.channels.has(channel)) c.ws.send(frame);
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
      tags = Object.fromEntries(rest.slice(1, sp).split(';').map((kv) => kv.split('=') as [string, string]));
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
    const valid = anonymous || (conn.pass !== undefined && ((this.opts.validTokens ?? []).includes(conn.pass) || (this.opts.isValidToken?.(conn.pass) ?? false)));
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
    if (conn.loggedIn) this.send(conn, `@badge-info=;badges=;color=;display-name=${nick};emote-sets=0;user-id=b-${nick};user-type= :tmi.twitch.tv GLOBALUSERSTATE`);
  }

  private userstate(conn: Conn, channel: string): string {
    const role = this.botRole;
    const badges = role === 'none' ? '' : `${role}/1`;
    const mod = role === 'moderator' || role === 'broadcaster' ? '1' : '0';
    return `@badge-info=;badges=${badges};color=;display-name=${conn.nick};emote-sets=0;mod=${mod};subscriber=0;user-type=${mod === '1' ? 'mod' : ''} :tmi.twitch.tv USERSTATE #${channel}`;
  }

  private join(conn: Conn, channel: string): void {
    if (!conn.nick || !/^[a-z0-9_]{1,25}$/.test(channel)) return;
    conn.channels.add(channel);
    const lines = [`:${conn.nick}!${conn.nick}@${conn.nick}.tmi.twitch.tv JOIN #${channel}`];
    if (conn.loggedIn) lines.push(this.userstate(conn, channel));
    lines.push(`@emote-only=0;followers-only=-1;r9k=0;room-id=${this.opts.roomId ?? '1000'};slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #${channel}`);
    this.send(conn, ...lines);
  }

  private received(conn: Conn, channel: string, text: string, replyTo: string | undefined): void {
    const now = this.clock.now();
    const login = conn.nick!;
    const key = `${login}`;
    const times = (this.sendLog.get(key) ?? []).filter((t) => t > now - LIMITS.windowMs);
    const elevated = this.botRole !== 'none';
    const over =
      times.length >= (elevated ? LIMITS.elevated : LIMITS.regular) ||
      (!elevated && times.length > 0 && now - times[times.length - 1]! < LIMITS.minGapMs);
    const duplicate = this.sent.some((m) => m.login === login && m.channel === channel && m.text === text && !m.rejected && m.at > now - LIMITS.windowMs);
    times.push(now);
    this.sendLog.set(key, times);
    const rejected = over ? ('ratelimit' as const) : duplicate ? ('duplicate' as const) : undefined;
    const msg: SentMessage = { at: now, login, channel, text, ...(replyTo ? { replyTo } : {}), ...(rejected ? { rejected } : {}) };
    this.sent.push(msg);
    if (over) this.violations.push(msg);
    if (rejected === 'ratelimit') this.send(conn, `@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #${channel} :Your message was not sent because you are sending messages too quickly.`);
    else if (rejected === 'duplicate') this.send(conn, `@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #${channel} :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.`);
    else this.send(conn, this.userstate(conn, channel));
    for (const l of this.sentListeners) l(msg);
  }
}
