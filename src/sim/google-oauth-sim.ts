import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Clock } from '../core/index.js';

/**
 * Google's OAuth endpoints as the YouTube simulator serves them: the consent page (approved at
 * once, PKCE S256 checked), the token endpoint (authorization code and refresh token grants) and
 * the access tokens it issued, which expire on the simulator's clock.
 */
export class GoogleOAuthSim {
  private readonly accessTokens = new Map<string, number>();
  private nextToken = 1;
  /** Refresh tokens Google has revoked: refreshing with them gives `invalid_grant`. */
  readonly revoked = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly o: { readonly refreshTokens?: readonly string[] | undefined; readonly accessTokenTtlMs?: number | undefined },
  ) {}

  /** Whether `bearer` is an access token issued here and not expired. */
  valid(bearer: string): boolean {
    const exp = this.accessTokens.get(bearer);
    return exp !== undefined && exp > this.clock.now();
  }

  /** Every access token stops working (as after a password change). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  private readonly codes = new Map<string, { challenge: string; redirect: string; scope: string }>();
  /** Refresh tokens issued through the consent flow. */
  readonly issuedRefresh: string[] = [];

  /** Google's consent page, approved at once: redirects to the loopback with a code. */
  authorize(url: URL, res: ServerResponse): void {
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(redirect) || url.searchParams.get('code_challenge_method') !== 'S256') {
      res.writeHead(400);
      res.end('bad request');
      return;
    }
    const code = `code-${this.nextToken++}`;
    this.codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirect, scope: url.searchParams.get('scope') ?? '' });
    res.writeHead(302, { location: `${redirect}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}` });
    res.end();
  }

  token(res: ServerResponse, body: string, record: (status: number, units: number) => void): void {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') === 'authorization_code') {
      const c = this.codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const ok = c && createHash('sha256').update(verifier).digest('base64url') === c.challenge && form.get('redirect_uri') === c.redirect;
      if (!ok) {
        record(400, 0);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      this.codes.delete(form.get('code')!);
      const refresh = `1//sim-linked-${this.nextToken++}`;
      this.issuedRefresh.push(refresh);
      const access = `ya29.sim-${this.nextToken++}`;
      this.accessTokens.set(access, this.clock.now() + (this.o.accessTokenTtlMs ?? 3_600_000));
      record(200, 0);
      return this.json(res, { access_token: access, refresh_token: refresh, expires_in: 3599, token_type: 'Bearer', scope: c!.scope });
    }
    const refresh = form.get('refresh_token') ?? '';
    if (
      form.get('grant_type') !== 'refresh_token' ||
      ![...(this.o.refreshTokens ?? []), ...this.issuedRefresh].includes(refresh) ||
      this.revoked.has(refresh)
    ) {
      record(400, 0);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }));
      return;
    }
    const access = `ya29.sim-${this.nextToken++}`;
    const ttl = this.o.accessTokenTtlMs ?? 3_600_000;
    this.accessTokens.set(access, this.clock.now() + ttl);
    record(200, 0);
    this.json(res, {
      access_token: access,
      expires_in: Math.floor(ttl / 1000),
      token_type: 'Bearer',
      scope: 'https://www.googleapis.com/auth/youtube.force-ssl',
    });
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
