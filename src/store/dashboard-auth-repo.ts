import type { Db } from './database.js';

/** Dashboard sessions and one-time login codes, by the hash of their secret (never the secret). */
export class DashboardAuthRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      addSession: db.prepare<[string, string, number, number]>(
        'INSERT INTO dashboard_sessions (id_hash, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ),
      session: db.prepare<[string], { fingerprint: string; expires_at: number }>('SELECT fingerprint, expires_at FROM dashboard_sessions WHERE id_hash = ?'),
      dropSession: db.prepare<[string]>('DELETE FROM dashboard_sessions WHERE id_hash = ?'),
      dropOthers: db.prepare<[string, number]>('DELETE FROM dashboard_sessions WHERE fingerprint != ? OR expires_at <= ?'),
      addLogin: db.prepare<[string, number]>('INSERT INTO dashboard_logins (code_hash, expires_at) VALUES (?, ?)'),
      takeLogin: db.prepare<[string, number]>('DELETE FROM dashboard_logins WHERE code_hash = ? AND expires_at > ?'),
      dropExpiredLogins: db.prepare<[number]>('DELETE FROM dashboard_logins WHERE expires_at <= ?'),
    };
  }

  addSession(idHash: string, fingerprint: string, now: number, expiresAt: number): void {
    this.s.addSession.run(idHash, fingerprint, now, expiresAt);
  }

  session(idHash: string): { fingerprint: string; expiresAt: number } | undefined {
    const r = this.s.session.get(idHash);
    return r ? { fingerprint: r.fingerprint, expiresAt: r.expires_at } : undefined;
  }

  dropSession(idHash: string): void {
    this.s.dropSession.run(idHash);
  }

  /** Revokes every session not opened with this token, and the expired ones. */
  keepOnly(fingerprint: string, now: number): number {
    return this.s.dropOthers.run(fingerprint, now).changes;
  }

  addLogin(codeHash: string, expiresAt: number): void {
    this.s.addLogin.run(codeHash, expiresAt);
  }

  /** Uses up a login code: true once, if it exists and has not expired. */
  takeLogin(codeHash: string, now: number): boolean {
    this.s.dropExpiredLogins.run(now);
    return this.s.takeLogin.run(codeHash, now).changes === 1;
  }
}
