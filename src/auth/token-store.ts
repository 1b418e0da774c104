import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredToken {
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** ms since epoch, when the access token stops working. */
  readonly expiresAt?: number;
  readonly scopes: readonly string[];
  /** The account the token belongs to, when the platform says (Twitch login). */
  readonly login?: string;
  readonly obtainedAt: number;
}

export type Account = 'twitch' | 'youtube';

/**
 * Linked accounts, in one JSON file in the data folder with mode 0600. The only place tokens are
 * written; nothing reads it but this class, and nothing it holds is ever logged.
 */
export class TokenStore {
  constructor(readonly path: string) {}

  private read(): Partial<Record<Account, StoredToken>> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Partial<Record<Account, StoredToken>>;
    } catch {
      return {};
    }
  }

  get(account: Account): StoredToken | undefined {
    return this.read()[account];
  }

  set(account: Account, token: StoredToken): void {
    const all = { ...this.read(), [account]: token };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  /** What `doctor` may show: which accounts, scopes and expiry; never a token. */
  describe(): Array<{ account: Account; scopes: readonly string[]; expiresAt?: number; login?: string; hasRefresh: boolean }> {
    return Object.entries(this.read()).map(([account, t]) => ({
      account: account as Account,
      scopes: t.scopes,
      ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
      ...(t.login ? { login: t.login } : {}),
      hasRefresh: Boolean(t.refreshToken),
    }));
  }
}
