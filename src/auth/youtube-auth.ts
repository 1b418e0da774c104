import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LecternError } from '../core/index.js';
import type { StoredToken } from './token-store.js';

export const YOUTUBE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const YOUTUBE_SCOPES = {
  readWrite: 'https://www.googleapis.com/auth/youtube.force-ssl',
  readOnly: 'https://www.googleapis.com/auth/youtube.readonly',
} as const;

/**
 * OAuth 2.0 for installed apps: a loopback redirect on 127.0.0.1 (random port), PKCE (S256) and a
 * random `state` that must come back unchanged; the code is exchanged for a refresh token.
 */
export async function youtubeLoopbackFlow(opts: {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  readOnly: boolean;
  show: (url: string) => void;
  timeoutMs?: number;
  now?: () => number;
}): Promise<StoredToken> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const scope = opts.readOnly ? YOUTUBE_SCOPES.readOnly : YOUTUBE_SCOPES.readWrite;

  let redirectUri = '';
  const code = await new Promise<string>((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const done = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(text);
      };
      if (url.pathname !== '/') return done(404, 'Not found');
      if (url.searchParams.get('state') !== state) return done(400, 'This sign-in answer does not belong to the running `lectern auth`; start again.');
      const error = url.searchParams.get('error');
      const got = url.searchParams.get('code');
      clearTimeout(timer);
      server.close();
      if (error || !got) {
        done(400, 'Access was not granted. You can close this tab.');
        return reject(new LecternError('PLATFORM_AUTH_FAILED', `Google did not grant access (${error ?? 'no code'})`));
      }
      done(200, 'Lectern is linked to YouTube. You can close this tab.');
      resolve(got);
    });
    const timer = setTimeout(
      () => {
        server.close();
        reject(new LecternError('PLATFORM_AUTH_FAILED', 'Nobody finished the sign-in in time; run `lectern auth youtube` again'));
      },
      opts.timeoutMs ?? 10 * 60_000,
    );
    server.listen(0, '127.0.0.1', () => {
      redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const params = new URLSearchParams({
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
        access_type: 'offline',
        prompt: 'consent',
      });
      opts.show(`${opts.authorizeUrl}?${params.toString()}`);
    });
  });

  const res = await fetch(opts.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      redirect_uri: redirectUri,
    }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || !json['refresh_token'])
    throw new LecternError('PLATFORM_AUTH_FAILED', `Google refused the code exchange (${String(json['error'] ?? res.status)})`);
  const now = (opts.now ?? Date.now)();
  return {
    accessToken: String(json['access_token']),
    refreshToken: String(json['refresh_token']),
    ...(typeof json['expires_in'] === 'number' ? { expiresAt: now + json['expires_in'] * 1000 } : {}),
    scopes: String(json['scope'] ?? scope)
      .split(' ')
      .filter(Boolean),
    obtainedAt: now,
  };
}
