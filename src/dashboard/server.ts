import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebSocket } from 'ws';
import { LecternError, type Logger } from '../core/index.js';
import { COOKIE, presentedToken, sameSecret } from './auth.js';

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), 'public');

/** Viewer text is only ever set with textContent; this policy forbids inline code on top. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A client whose unsent data passes this is too slow and is dropped, never buffered further. */
export const MAX_CLIENT_BUFFER = 1_000_000;

export interface DashboardApi {
  state(): unknown;
  questions(): unknown;
  setTopic(title: string): unknown;
  questionAction(number: number, action: 'answer' | 'dismiss' | 'highlight' | 'unhighlight'): unknown | undefined;
  exportText(format: string): { text: string; contentType: string; filename: string } | undefined;
  search(q: string): unknown;
}

export interface DashboardOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly logger: Logger;
  readonly api: DashboardApi;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'dashboard.html', type: 'text/html; charset=utf-8' },
  '/overlay': { file: 'overlay.html', type: 'text/html; charset=utf-8' },
  '/assets/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/assets/overlay.js': { file: 'overlay.js', type: 'text/javascript; charset=utf-8' },
  '/assets/common.js': { file: 'common.js', type: 'text/javascript; charset=utf-8' },
  '/assets/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/**
 * The streamer's dashboard and the OBS overlay: fastify over HTTP with one WebSocket that first
 * sends the whole state, then every domain event. Everything but /healthz needs the token.
 */
export class DashboardServer {
  private readonly fastify: FastifyInstance;
  private readonly clients = new Set<WebSocket>();
  private readonly files = new Map<string, Buffer>();
  private origin = '';
  dropped = 0;

  constructor(private readonly opts: DashboardOptions) {
    this.fastify = Fastify({
      loggerInstance: opts.logger.child({ component: 'dashboard' }) as unknown as FastifyBaseLogger,
      // Requests are not logged: their URLs may carry ?token=.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
    }) as unknown as FastifyInstance;
    for (const { file } of Object.values(STATIC)) this.files.set(file, readFileSync(join(PUBLIC, file)));
  }

  get url(): string {
    return this.origin;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private authorised(req: FastifyRequest, reply: FastifyReply): boolean {
    const { token, via } = presentedToken(req.headers, (req.query ?? {}) as Record<string, unknown>);
    if (!token || !sameSecret(token, this.opts.token)) {
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Open the dashboard with the URL Lectern printed (it carries ?token=), or send Authorization: Bearer <token>.' });
      return false;
    }
    if (via === 'query') {
      void reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return true;
  }

  async start(): Promise<string> {
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

    for (const [path, { file, type }] of Object.entries(STATIC)) {
      f.get(path, async (req, reply) => {
        if (!this.authorised(req, reply)) return reply;
        // A token in the address bar is swapped for the cookie and removed from the URL.
        if ((req.query as Record<string, unknown>)['token'] !== undefined && type.startsWith('text/html')) {
          const params = new URLSearchParams(req.query as Record<string, string>);
          params.delete('token');
          const rest = params.toString();
          return reply.redirect(`${path}${rest ? `?${rest}` : ''}`, 303);
        }
        return reply.type(type).send(this.files.get(file));
      });
    }

    const api = this.opts.api;
    f.get('/api/state', async (req, reply) => (this.authorised(req, reply) ? api.state() : reply));
    f.get('/api/questions', async (req, reply) => (this.authorised(req, reply) ? api.questions() : reply));
    f.get('/api/search', async (req, reply) => {
      if (!this.authorised(req, reply)) return reply;
      const q = String((req.query as Record<string, unknown>)['q'] ?? '').slice(0, 200);
      return api.search(q);
    });
    f.post('/api/topic', async (req, reply) => {
      if (!this.authorised(req, reply)) return reply;
      const title = (req.body as { title?: unknown } | null)?.title;
      if (typeof title !== 'string' || !title.trim()) return reply.code(400).send({ error: 'bad-request', message: 'expected JSON { "title": "..." }' });
      return api.setTopic(title);
    });
    f.post<{ Params: { id: string; action: string } }>('/api/questions/:id/:action', async (req, reply) => {
      if (!this.authorised(req, reply)) return reply;
      const number = Number(req.params.id);
      const action = req.params.action;
      if (!Number.isInteger(number) || !['answer', 'dismiss', 'highlight', 'unhighlight'].includes(action)) return reply.code(404).send({ error: 'not-found' });
      const q = api.questionAction(number, action as 'answer');
      return q ?? reply.code(404).send({ error: 'not-found', message: `no question #${number}` });
    });
    f.get('/api/export', async (req, reply) => {
      if (!this.authorised(req, reply)) return reply;
      const e = api.exportText(String((req.query as Record<string, unknown>)['format'] ?? ''));
      if (!e) return reply.code(400).send({ error: 'bad-request', message: 'format must be md, csv, json or chapters' });
      return reply.type(e.contentType).header('content-disposition', `attachment; filename="${e.filename}"`).send(e.text);
    });

    f.get('/ws', { websocket: true }, (socket, req) => {
      const origin = req.headers.origin;
      // Browsers always send Origin; another site's page must not read the stream.
      if (origin !== undefined && origin !== this.origin && origin !== this.origin.replace('127.0.0.1', 'localhost')) {
        socket.close(1008, 'origin not allowed');
        return;
      }
      const { token } = presentedToken(req.headers, (req.query ?? {}) as Record<string, unknown>);
      if (!token || !sameSecret(token, this.opts.token)) {
        socket.close(1008, 'unauthorized');
        return;
      }
      this.clients.add(socket);
      socket.on('close', () => this.clients.delete(socket));
      socket.on('error', () => this.clients.delete(socket));
      socket.send(JSON.stringify({ type: 'state', at: Date.now(), data: api.state() }));
    });

    let address: string;
    try {
      address = await f.listen({ host: this.opts.host, port: this.opts.port });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        const why = code === 'EADDRINUSE' ? 'is already in use (another program, or another lectern, listens there)' : 'may not be used by this user';
        throw new LecternError('CONFIG_INVALID', `dashboard.port ${this.opts.port} on ${this.opts.host} ${why}: change dashboard.port in the config, or stop that program`, { cause: err });
      }
      throw err;
    }
    const port = new URL(address).port;
    this.origin = `http://${this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host}:${port}`;
    return this.origin;
  }

  /** Sends an event to every client; a client too far behind is closed instead of buffered. */
  broadcast(type: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const frame = JSON.stringify({ type, at: Date.now(), data });
    for (const c of this.clients) {
      if (c.bufferedAmount > MAX_CLIENT_BUFFER) {
        this.dropped++;
        this.clients.delete(c);
        c.terminate();
        continue;
      }
      c.send(frame);
    }
  }

  async closeClients(): Promise<void> {
    for (const c of this.clients) c.close(1001, 'lectern is stopping');
    this.clients.clear();
  }

  async stop(): Promise<void> {
    await this.closeClients();
    await this.fastify.close();
  }
}
