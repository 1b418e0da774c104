import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebSocket } from 'ws';
import { LecternError, type Logger } from '../core/index.js';
import { allowedOrigins, bearer, COOKIE, LoginThrottle, overlayKey, sameSecret, sessionCookie, Sessions, type SessionRecords } from './auth.js';
import { Broadcaster } from './broadcast.js';
import { protectedRoutes, type DashboardApi } from './routes.js';

export type { DashboardApi } from './routes.js';
export { MAX_CLIENT_BUFFER } from './broadcast.js';

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), 'public');

/** Viewer text is only ever set with textContent; this policy forbids inline code on top. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface DashboardOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Extra origins the dashboard is reached by (a LAN address, a published Docker port). */
  readonly publicOrigins?: readonly string[];
  readonly logger: Logger;
  readonly api: DashboardApi;
  /** Where sessions and one-time login codes are kept (the database). */
  readonly sessions: SessionRecords;
  readonly now?: () => number;
}

/** Files anyone may fetch: code and style, no data. */
const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'overlay.js': 'text/javascript; charset=utf-8',
  'common.js': 'text/javascript; charset=utf-8',
  'backlog.js': 'text/javascript; charset=utf-8',
  'chat.js': 'text/javascript; charset=utf-8',
  'commands.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/**
 * The streamer's dashboard and the OBS overlay: fastify over HTTP with WebSockets.
 * - `/healthz`, `/assets/*` and `/login` are public; `/login` turns the dashboard token (`?token=`,
 *   the URL printed at first start) or a one-time code (`lectern dashboard-url`) into a session
 *   cookie holding a random id, never the token. Failed attempts are throttled per client.
 * - `/overlay` and `/overlay/ws` need the overlay's read-only key and show the topic and the
 *   highlighted question, nothing else.
 * - Everything else is one plugin whose onRequest hook requires a session or the bearer token, so
 *   a new route cannot skip it; state-changing requests must come from the dashboard's own origin
 *   and carry JSON (no other local page can act on a streamer's session).
 */
/** How often pages are pinged and told the service is alive; a page that hears nothing for 25 s reconnects (common.js). */
export const HEARTBEAT_MS = 10_000;

export class DashboardServer {
  private readonly fastify: FastifyInstance;
  private readonly files = new Map<string, Buffer>();
  private origin = '';
  private origins = new Set<string>();
  readonly clients = new Broadcaster();
  readonly overlayClients = new Broadcaster();
  private readonly sessions: Sessions;
  private readonly throttle: LoginThrottle;
  readonly overlayKey: string;
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: DashboardOptions) {
    this.now = opts.now ?? Date.now;
    this.fastify = Fastify({
      loggerInstance: opts.logger.child({ component: 'dashboard' }) as unknown as FastifyBaseLogger,
      // Requests are not logged: their URLs may carry ?token= or a login code.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
    }) as unknown as FastifyInstance;
    for (const f of ['dashboard.html', 'overlay.html', ...Object.keys(ASSETS)]) this.files.set(f, readFileSync(join(PUBLIC, f)));
    this.sessions = new Sessions(opts.sessions, opts.token, this.now);
    this.throttle = new LoginThrottle(this.now);
    this.overlayKey = overlayKey(opts.token);
  }

  get url(): string {
    return this.origin;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The OBS browser-source address, with the overlay's read-only key. */
  get overlayUrl(): string {
    return `${this.origin}/overlay?key=${this.overlayKey}`;
  }

  /** Sends an event to every dashboard (batched); `key` lets a later event of the same key replace it. */
  broadcast(type: string, data: unknown, key?: string): void {
    this.clients.send(type, data, key);
  }

  /** Sends the overlay's view to every overlay. */
  broadcastOverlay(data: unknown): void {
    this.overlayClients.send('overlay', data, 'overlay');
  }

  /** Whether a request carries a valid session cookie or the bearer token; how. */
  private credential(req: FastifyRequest): 'session' | 'bearer' | 'bad-bearer' | undefined {
    const b = bearer(req.headers.authorization);
    if (b !== undefined) return sameSecret(b, this.opts.token) ? 'bearer' : 'bad-bearer';
    return this.sessions.valid(sessionCookie(req.headers.cookie)) ? 'session' : undefined;
  }

  /** 429 while a client has failed too often; true when the request was answered. */
  private throttled(req: FastifyRequest, reply: FastifyReply): boolean {
    const wait = this.throttle.blockedFor(req.ip);
    if (wait <= 0) return false;
    void reply
      .code(429)
      .header('retry-after', String(Math.ceil(wait / 1000)))
      .send({ error: 'too-many-attempts', message: `Too many failed logins from this address; try again in ${Math.ceil(wait / 1000)} s.` });
    return true;
  }

  private loginCookie(reply: FastifyReply): void {
    const s = this.sessions.open();
    void reply.header('set-cookie', `${COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${s.maxAgeSeconds}`);
  }

  /** The onRequest check of every protected route. */
  private async guard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    // A `?token=` on a page is the printed first-start URL: it becomes a session, and leaves the URL.
    const query = req.query as Record<string, unknown>;
    if (typeof query['token'] === 'string' && req.method === 'GET') return this.tokenLogin(req, reply, query['token']);
    const how = this.credential(req);
    // A throttled address gets 429 for any token it sends, the right one too: otherwise the answer
    // would tell a guesser which guess was right. A logged-in browser (a valid session) is not
    // throttled, so failures from a shared address cannot lock the streamer out.
    if (how !== 'session' && this.throttled(req, reply)) return;
    if (how === 'bad-bearer' || how === undefined) {
      if (how === 'bad-bearer') this.throttle.failed(req.ip);
      return void reply.code(401).header('www-authenticate', 'Bearer').send({
        error: 'unauthorized',
        message: 'Open the dashboard with the link Lectern printed, or `lectern dashboard-url`; scripts send Authorization: Bearer <token>.',
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const forbidden = this.crossSite(req, how);
      if (forbidden) return void reply.code(403).send({ error: 'forbidden', message: forbidden });
    }
  }

  /**
   * Why a state-changing request is refused, or undefined: it must come from the dashboard's own
   * origin (with a cookie, a browser always says where it comes from) and carry JSON.
   */
  private crossSite(req: FastifyRequest, how: 'session' | 'bearer'): string | undefined {
    const origin = req.headers.origin;
    const sameSite = req.headers['sec-fetch-site'] === 'same-origin';
    if (origin !== undefined ? !this.origins.has(origin) : how === 'session' && !sameSite) return 'this request does not come from the dashboard';
    if (
      !String(req.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('application/json')
    )
      return 'send JSON (content-type: application/json)';
    return undefined;
  }

  private tokenLogin(req: FastifyRequest, reply: FastifyReply, token: string): void {
    if (this.throttled(req, reply)) return;
    if (!sameSecret(token, this.opts.token)) {
      this.throttle.failed(req.ip);
      return void reply.code(401).send({ error: 'unauthorized', message: 'That dashboard token is not the right one.' });
    }
    this.loginCookie(reply);
    const url = new URL(req.url, 'http://x');
    url.searchParams.delete('token');
    void reply.redirect(`${url.pathname}${url.search}`, 303);
  }

  async start(): Promise<string> {
    // Dead links are found and dropped on both sides (see Broadcaster.heartbeat).
    this.heartbeatTimer = setInterval(() => {
      this.clients.heartbeat();
      this.overlayClients.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    const f = this.fastify;
    f.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', 'no-store');
      return payload;
    });
    await f.register(websocket, { options: { maxPayload: 4096 } });

    f.get('/healthz', async () => ({ ok: true }));
    f.get<{ Params: { file: string } }>('/assets/:file', async (req, reply) => {
      const type = ASSETS[req.params.file];
      if (!type) return reply.code(404).send({ error: 'not-found' });
      return reply.type(type).send(this.files.get(req.params.file));
    });
    f.get<{ Querystring: { code?: string } }>('/login', async (req, reply) => {
      if (this.throttled(req, reply)) return reply;
      const code = req.query.code;
      if (!code || !this.sessions.redeem(code)) {
        this.throttle.failed(req.ip);
        return reply.code(401).send({ error: 'unauthorized', message: 'This login link was used already or has expired: run `lectern dashboard-url` again.' });
      }
      this.loginCookie(reply);
      return reply.redirect('/', 303);
    });
    this.overlayRoutes(f);
    await f.register(async (scope) => {
      scope.addHook('onRequest', (req, reply) => this.guard(req, reply));
      await protectedRoutes(scope, {
        api: this.opts.api,
        files: this.files,
        logout: (req) => this.logout(req),
        onSocket: (ws, req) => this.onDashboardSocket(ws, req),
      });
    });

    let address: string;
    try {
      address = await f.listen({ host: this.opts.host, port: this.opts.port });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        const why = code === 'EADDRINUSE' ? 'is already in use (another program, or another lectern, listens there)' : 'may not be used by this user';
        throw new LecternError(
          'CONFIG_INVALID',
          `dashboard.port ${this.opts.port} on ${this.opts.host} ${why}: change dashboard.port in the config, or stop that program`,
          { cause: err },
        );
      }
      throw err;
    }
    const port = Number(new URL(address).port);
    const host = this.opts.host;
    // Shown and linked by the address a browser uses: a wildcard host is reached on loopback.
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.origin = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    this.origins = allowedOrigins(host, port, this.opts.publicOrigins ?? []);
    return this.origin;
  }

  private logout(req: FastifyRequest): void {
    const id = sessionCookie(req.headers.cookie);
    if (id) this.sessions.close(id);
  }

  private onDashboardSocket(socket: WebSocket, req: FastifyRequest): void {
    // Browsers always send Origin; another site's page must not read the stream.
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) return socket.close(1008, 'origin not allowed');
    this.clients.add(socket);
    this.clients.sendTo(socket, 'state', this.opts.api.state());
  }

  private overlayRoutes(f: FastifyInstance): void {
    const keyOk = (key: unknown) => typeof key === 'string' && sameSecret(key, this.overlayKey);
    f.get<{ Querystring: { key?: string } }>('/overlay', async (req, reply) => {
      if (this.throttled(req, reply)) return reply;
      if (!keyOk(req.query.key)) {
        this.throttle.failed(req.ip);
        return reply.code(401).send({ error: 'unauthorized', message: "Use the overlay's address shown on the dashboard (it carries its own read-only key)." });
      }
      return reply.type('text/html; charset=utf-8').send(this.files.get('overlay.html'));
    });
    f.get<{ Querystring: { key?: string } }>('/overlay/ws', { websocket: true }, (socket, req) => {
      const origin = req.headers.origin;
      if (origin !== undefined && !this.origins.has(origin)) return socket.close(1008, 'origin not allowed');
      // Throttled like the page: a wrong key counts as a failure.
      if (this.throttle.blockedFor(req.ip) > 0) return socket.close(1008, 'too many attempts');
      if (!keyOk(req.query.key)) {
        this.throttle.failed(req.ip);
        return socket.close(1008, 'unauthorized');
      }
      this.overlayClients.add(socket);
      this.overlayClients.sendTo(socket, 'overlay', this.opts.api.overlay());
    });
  }

  async closeClients(): Promise<void> {
    this.clients.close(1001, 'lectern is stopping');
    this.overlayClients.close(1001, 'lectern is stopping');
  }

  /** Runs `fn` every `ms` while the server runs: for what changes without an event to say so. */
  every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    clearInterval(this.heartbeatTimer);
    await this.closeClients();
    await this.fastify.close();
  }
}
