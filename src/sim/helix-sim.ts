import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';
import { readBody } from './http-body.js';

/** Twitch Helix on loopback, for stream markers: tokens with scopes, live or not, what was created. */
export class HelixSim {
  private server: Server | undefined;
  private readonly clock: Clock;
  readonly markers: Array<{ userId: string; description: string; positionSeconds: number }> = [];
  live = true;
  private readonly liveSince: number;

  constructor(private readonly opts: { tokens: Record<string, readonly string[]>; clientId: string; clock?: Clock }) {
    this.clock = opts.clock ?? systemClock;
    this.liveSince = this.clock.now();
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/helix`;
  }

  start(): Promise<void> {
    return new Promise((resolve) => {
      this.server = createServer((req, res) => {
        void readBody(req).then((body) => {
          const json = (status: number, data: unknown) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(data));
          };
          if (req.method !== 'POST' || req.url !== '/helix/streams/markers') return json(404, { error: 'Not Found', status: 404 });
          const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
          const scopes = this.opts.tokens[token];
          if (!scopes || req.headers['client-id'] !== this.opts.clientId) return json(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
          if (!scopes.includes('channel:manage:broadcast')) return json(401, { error: 'Unauthorized', status: 401, message: 'Missing scope: channel:manage:broadcast' });
          if (!this.live) return json(404, { error: 'Not Found', status: 404, message: 'channel is not live' });
          const parsed = JSON.parse(body || '{}') as { user_id?: string; description?: string };
          const positionSeconds = Math.floor((this.clock.now() - this.liveSince) / 1000);
          this.markers.push({ userId: parsed.user_id ?? '', description: parsed.description ?? '', positionSeconds });
          json(200, { data: [{ id: String(this.markers.length), created_at: new Date(this.clock.now()).toISOString(), description: parsed.description ?? '', position_seconds: positionSeconds }] });
        });
      });
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
