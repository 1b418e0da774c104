import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LecternError } from '../core/index.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compares two secrets in constant time: their SHA-256 digests go through `timingSafeEqual`, so
 * neither the content nor the length of the expected secret leaks through timing.
 */
export function sameSecret(a: string, b: string, equal: (x: Buffer, y: Buffer) => boolean = timingSafeEqual): boolean {
  return equal(sha256(a), sha256(b));
}

/** The shortest dashboard token accepted: anything shorter can be guessed. */
export const MIN_TOKEN_LENGTH = 32;

/**
 * The dashboard token: from LECTERN_DASHBOARD_TOKEN when set (at least 32 characters), else the
 * one stored with the data (created at first start, mode 0600; a looser mode is tightened).
 * `created` tells the caller to show it once; `tightened` that the file's mode was too open.
 */
export function dashboardToken(envToken: string | undefined, file: string): { token: string; created: boolean; tightened: boolean } {
  if (envToken !== undefined) {
    if (envToken.length < MIN_TOKEN_LENGTH) {
      throw new LecternError(
        'CONFIG_INVALID',
        `LECTERN_DASHBOARD_TOKEN is ${envToken.length} characters long: it must have at least ${MIN_TOKEN_LENGTH} (for example \`openssl rand -base64 32\`), or leave it unset and Lectern makes one`,
      );
    }
    return { token: envToken, created: false, tightened: false };
  }
  if (existsSync(file)) {
    const tightened = tightenMode(file);
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= MIN_TOKEN_LENGTH) return { token, created: false, tightened };
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true, tightened: false };
}

/** Makes a secret file readable by its owner only; true when it was looser. */
export function tightenMode(file: string): boolean {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return false;
  chmodSync(file, 0o600);
  return true;
}

/**
 * The overlay's own key: read-only (the topic and the highlighted question, nothing else),
 * derived from the dashboard token, so a new dashboard token also replaces it. It is what the
 * OBS browser-source URL carries; it can never act on the dashboard.
 */
export function overlayKey(dashboardToken: string): string {
  return createHmac('sha256', dashboardToken).update('lectern overlay key').digest('base64url').slice(0, 32);
}

/** A fingerprint of the token sessions were opened with (never the token itself). */
export const tokenFingerprint = (token: string): string => createHmac('sha256', token).update('lectern session fingerprint').digest('hex').slice(0, 32);

export const COOKIE = 'lectern_session';
/** A dashboard session lasts this long; logging in again opens a new one. */
export const SESSION_MS = 30 * 24 * 3_600_000;
/** A one-time login link from `lectern dashboard-url` works once, within this long. */
export const LOGIN_CODE_MS = 10 * 60_000;

export interface SessionRecords {
  addSession(idHash: string, fingerprint: string, now: number, expiresAt: number): void;
  session(idHash: string): { fingerprint: string; expiresAt: number } | undefined;
  dropSession(idHash: string): void;
  keepOnly(fingerprint: string, now: number): number;
  takeLogin(codeHash: string, now: number): boolean;
}

/**
 * Server-side sessions behind the cookie: a random id, kept only as its hash, with an expiry and
 * the token's fingerprint, so sessions opened with another token are revoked.
 */
export class Sessions {
  private readonly fingerprint: string;

  constructor(
    private readonly records: SessionRecords,
    token: string,
    private readonly now: () => number,
  ) {
    this.fingerprint = tokenFingerprint(token);
    records.keepOnly(this.fingerprint, now());
  }

  open(): { id: string; maxAgeSeconds: number } {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.records.addSession(hashOf(id), this.fingerprint, now, now + SESSION_MS);
    return { id, maxAgeSeconds: Math.floor(SESSION_MS / 1000) };
  }

  valid(id: string | undefined): boolean {
    if (!id) return false;
    const s = this.records.session(hashOf(id));
    return s !== undefined && s.fingerprint === this.fingerprint && s.expiresAt > this.now();
  }

  close(id: string): void {
    this.records.dropSession(hashOf(id));
  }

  /** A one-time login code from `lectern dashboard-url`. */
  redeem(code: string): boolean {
    return this.records.takeLogin(hashOf(code), this.now());
  }
}

export const hashOf = (secret: string): string => sha256(secret).toString('hex');

/**
 * Failed logins per client: at most `limit` in `windowMs`; past that, 429 until the window moves on.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  /** Ms to wait before this client may try again, or 0. */
  blockedFor(client: string): number {
    const list = this.recent(client);
    return list.length >= this.limit ? list[0]! + this.windowMs - this.now() : 0;
  }

  failed(client: string): void {
    const list = this.recent(client);
    list.push(this.now());
    this.failures.set(client, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  private recent(client: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(client) ?? []).filter((t) => t > since);
  }
}

/** The session cookie's value, from a Cookie header. */
export function sessionCookie(header: string | undefined): string | undefined {
  const c = (header ?? '').split(/;\s*/).find((x) => x.startsWith(`${COOKIE}=`));
  return c ? decodeURIComponent(c.slice(COOKIE.length + 1)) : undefined;
}

/** A bearer token from an Authorization header. */
export function bearer(header: string | undefined): string | undefined {
  return typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
}

/**
 * The origins the dashboard is reached by: its loopback names on its port, the address it
 * listens on when that is a specific one, and `dashboard.publicOrigins`.
 */
export function allowedOrigins(host: string, port: number, publicOrigins: readonly string[]): Set<string> {
  const out = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
  if (!['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'].includes(host)) out.add(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  for (const o of publicOrigins) out.add(new URL(o).origin);
  return out;
}
