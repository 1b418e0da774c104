import { LecternError } from '../core/index.js';
import type { StoredToken } from './token-store.js';

export interface TwitchAuthEndpoints {
  readonly deviceUrl: string;
  readonly tokenUrl: string;
  readonly validateUrl: string;
}

export const TWITCH_AUTH_ENDPOINTS: TwitchAuthEndpoints = {
  deviceUrl: 'https://id.twitch.tv/oauth2/device',
  tokenUrl: 'https://id.twitch.tv/oauth2/token',
  validateUrl: 'https://id.twitch.tv/oauth2/validate',
};

export interface TwitchClient {
  readonly clientId: string;
  readonly clientSecret?: string;
}

type Fetch = typeof fetch;

async function form(fetchFn: Fetch, url: string, body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    // An empty or non-JSON body: the status says enough.
  }
  return { status: res.status, json };
}

function toStored(json: Record<string, unknown>, now: number): StoredToken {
  const scope = json['scope'];
  return {
    accessToken: String(json['access_token']),
    ...(json['refresh_token'] ? { refreshToken: String(json['refresh_token']) } : {}),
    ...(typeof json['expires_in'] === 'number' ? { expiresAt: now + json['expires_in'] * 1000 } : {}),
    scopes: Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    obtainedAt: now,
  };
}

/**
 * Twitch's Device Code Flow: asks for a code, shows where to enter it, and polls until the
 * streamer approves (or the code expires). `sleep` is injected so tests need not wait.
 */
export async function twitchDeviceFlow(opts: {
  client: TwitchClient;
  scopes: readonly string[];
  endpoints: TwitchAuthEndpoints;
  show: (verificationUri: string, userCode: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: Fetch;
}): Promise<StoredToken> {
  const f = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const start = await form(f, opts.endpoints.deviceUrl, { client_id: opts.client.clientId, scopes: opts.scopes.join(' ') });
  if (start.status !== 200)
    throw new LecternError(
      'PLATFORM_AUTH_FAILED',
      `Twitch refused the device code request (${start.status} ${String(start.json['message'] ?? '')}); check twitch.auth.clientId`,
    );
  const deviceCode = String(start.json['device_code']);
  let interval = Number(start.json['interval'] ?? 5) * 1000;
  const deadline = now() + Number(start.json['expires_in'] ?? 1800) * 1000;
  opts.show(String(start.json['verification_uri']), String(start.json['user_code']));
  while (now() < deadline) {
    await sleep(interval);
    const r = await form(f, opts.endpoints.tokenUrl, {
      client_id: opts.client.clientId,
      ...(opts.client.clientSecret ? { client_secret: opts.client.clientSecret } : {}),
      device_code: deviceCode,
      scopes: opts.scopes.join(' '),
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    if (r.status === 200) return toStored(r.json, now());
    const message = String(r.json['message'] ?? '');
    if (message === 'authorization_pending') continue;
    if (message === 'slow_down') {
      interval += 5_000;
      continue;
    }
    throw new LecternError('PLATFORM_AUTH_FAILED', `Twitch did not link the account: ${message || `HTTP ${r.status}`}`);
  }
  throw new LecternError('PLATFORM_AUTH_FAILED', 'The code expired before it was entered; run `lectern auth twitch` again');
}

/** Refreshes a Twitch user token. A failure means the refresh token is dead: link again. */
export async function refreshTwitchToken(
  client: TwitchClient,
  endpoints: TwitchAuthEndpoints,
  refreshToken: string,
  now: number,
  fetchFn: Fetch = fetch,
): Promise<StoredToken> {
  const r = await form(fetchFn, endpoints.tokenUrl, {
    client_id: client.clientId,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  });
  if (r.status !== 200)
    throw new LecternError(
      'PLATFORM_AUTH_FAILED',
      `Twitch refused to refresh the token (${String(r.json['message'] ?? r.status)}); run \`lectern auth twitch\` again`,
    );
  return toStored(r.json, now);
}

/** GET /oauth2/validate: who the token is, its scopes and seconds left; undefined if invalid. */
export async function validateTwitchToken(
  endpoints: TwitchAuthEndpoints,
  accessToken: string,
  fetchFn: Fetch = fetch,
): Promise<{ login: string; scopes: string[]; expiresIn: number } | undefined> {
  const res = await fetchFn(endpoints.validateUrl, { headers: { authorization: `OAuth ${accessToken}` }, signal: AbortSignal.timeout(15_000) });
  if (res.status === 401) return undefined;
  if (!res.ok) throw new LecternError('PLATFORM_CONNECT_FAILED', `Twitch token validation answered ${res.status}`);
  const j = (await res.json()) as { login?: string; scopes?: string[]; expires_in?: number };
  return { login: j.login ?? '', scopes: j.scopes ?? [], expiresIn: j.expires_in ?? 0 };
}
