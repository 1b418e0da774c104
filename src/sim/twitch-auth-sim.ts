import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/index.js';
import { readBody } from './http-body.js';

interface Grant {
  access: string;
  refresh: string;
  expiresAt: number;
  scopes: string[];
  login: string;
}

/**
 * Twitch's OAuth endpoints on loopback: Device Code Flow (device, token with the device grant),
 * refresh, validate; access tokens expire, refresh tokens can be revoked.
 */
export class TwitchAuthSim {
  private server: Server | undefined;
  private readonly clock: Clock;
  private readonly devices = new Map<string, { userCode: string; scopes: string[]; approved: boolean; denied: boolean; expiresAt: number }>();
  private readonly grants: Grant[] = [];
  readonly calls: string[] = [];
  accessTtlMs: number;

  constructor(private readonly opts: { clientId: string; login: string; clock?: Clock; accessTtlMs?: number }) {
    this.clock = opts.clock ?? systemClock;
    this.accessTtlMs = opts.accessTtlMs ?? 4 * 3_600_000;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get endpoints() {
    return { deviceUrl: `${this.base}/oauth2/device`, tokenUrl: `${this.base}/oauth2/token`, validateUrl: `${this.base}/oauth2/validate` };
  }

  /** The streamer enters the code and approves. */
  approve(userCode: string): void {
    for (const d of this.devices.values()) if (d.userCode === userCode) d.approved = true;
  }

  /** Whether an access token is live (the IRC simulator asks on login). */
  isValid(access: string): boolean {
    return this.grants.some((g) => g.access === access && g.expiresAt > this.clock.now());
  }

  expireAccessTokens(): void {
    for (const g of this.grants) g.expiresAt = this.clock.now() - 1;
  }

  revokeRefreshTokens(): void {
    for (const g of this.grants) g.refresh = `revoked-${g.refresh}`;
  }

  /** Issues a grant directly (for tests that start already linked). */
  issue(scopes: string[]): Grant {
    const g: Grant = {
      access: `tw-access-${randomBytes(6).toString('hex')}`,
      refresh: `tw-refresh-${randomBytes(6).toString('hex')}`,
      expiresAt: this.clock.now() + this.accessTtlMs,
      scopes,
      login: this.opts.login,
    };
    this.grants.push(g);
    return g;
  }

  start(): Promise<void> {
    return new Promise((resolve) => {
      this.server = createServer((req, res) => {
        void readBody(req).then((body) =>
          this.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, body, (status, data) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(data));
          }),
        );
      });
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private handle(method: string, url: string, auth: string | undefined, body: string, send: (status: number, data: unknown) => void): void {
    const path = url.split('?')[0];
    this.calls.push(`${method} ${path}`);
    const form = new URLSearchParams(body);
    const token = (g: Grant) => ({
      access_token: g.access,
      refresh_token: g.refresh,
      expires_in: Math.floor((g.expiresAt - this.clock.now()) / 1000),
      scope: g.scopes,
      token_type: 'bearer',
    });
    if (method === 'POST' && path === '/oauth2/device') {
      if (form.get('client_id') !== this.opts.clientId) return send(400, { status: 400, message: 'invalid client' });
      const device = randomBytes(8).toString('hex');
      const userCode = randomBytes(4).toString('hex').toUpperCase();
      this.devices.set(device, {
        userCode,
        scopes: (form.get('scopes') ?? '').split(' ').filter(Boolean),
        approved: false,
        denied: false,
        expiresAt: this.clock.now() + 1_800_000,
      });
      return send(200, {
        device_code: device,
        user_code: userCode,
        verification_uri: `https://www.twitch.tv/activate?device-code=${userCode}`,
        expires_in: 1800,
        interval: 5,
      });
    }
    if (method === 'POST' && path === '/oauth2/token') {
      const grant = form.get('grant_type');
      if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
        const d = this.devices.get(form.get('device_code') ?? '');
        if (!d) return send(400, { status: 400, message: 'invalid device code' });
        if (d.expiresAt < this.clock.now()) return send(400, { status: 400, message: 'expired_token' });
        if (!d.approved) return send(400, { status: 400, message: 'authorization_pending' });
        this.devices.delete(form.get('device_code')!);
        return send(200, token(this.issue(d.scopes)));
      }
      if (grant === 'refresh_token') {
        const g = this.grants.find((x) => x.refresh === form.get('refresh_token'));
        if (!g) return send(400, { status: 400, message: 'Invalid refresh token' });
        g.access = `tw-access-${randomBytes(6).toString('hex')}`;
        g.expiresAt = this.clock.now() + this.accessTtlMs;
        return send(200, token(g));
      }
      return send(400, { status: 400, message: 'unsupported grant type' });
    }
    if (method === 'GET' && path === '/oauth2/validate') {
      const access = /^OAuth (.+)$/.exec(auth ?? '')?.[1];
      const g = this.grants.find((x) => x.access === access && x.expiresAt > this.clock.now());
      if (!g) return send(401, { status: 401, message: 'invalid access token' });
      return send(200, {
        client_id: this.opts.clientId,
        login: g.login,
        scopes: g.scopes,
        user_id: '1000',
        expires_in: Math.floor((g.expiresAt - this.clock.now()) / 1000),
      });
    }
    send(404, { status: 404, message: 'not found' });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
