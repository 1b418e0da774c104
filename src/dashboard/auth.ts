import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Compares two secrets in constant time (their SHA-256 digests, so lengths do not leak either). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * The dashboard token: from LECTERN_DASHBOARD_TOKEN when set, else the one stored with the data
 * (created at first start, file mode 0600). `created` tells the caller to print it once.
 */
export function dashboardToken(envToken: string | undefined, file: string): { token: string; created: boolean } {
  if (envToken) return { token: envToken, created: false };
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return { token, created: false };
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true };
}

export const COOKIE = 'lectern_session';

/** The token from a request: Authorization: Bearer, the session cookie, or ?token=. */
export function presentedToken(headers: Record<string, string | string[] | undefined>, query: Record<string, unknown>): { token: string | undefined; via: 'header' | 'cookie' | 'query' | 'none' } {
  const auth = headers['authorization'];
  const bearer = typeof auth === 'string' ? /^Bearer (.+)$/.exec(auth)?.[1] : undefined;
  if (bearer) return { token: bearer, via: 'header' };
  const cookie = typeof headers['cookie'] === 'string' ? headers['cookie'] : '';
  const fromCookie = cookie.split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
  if (fromCookie) return { token: decodeURIComponent(fromCookie), via: 'cookie' };
  if (typeof query['token'] === 'string') return { token: query['token'], via: 'query' };
  return { token: undefined, via: 'none' };
}
