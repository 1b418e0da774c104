import type { Db } from './database.js';

/** Small key/value state per platform that must survive restarts (cursors, page tokens). */
export class PlatformStateRepo {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], { value: string }>('SELECT value FROM platform_state WHERE platform = ? AND key = ?');
    this.setStmt = db.prepare<[string, string, string, number]>(
      'INSERT INTO platform_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(platform: string, key: string): string | undefined {
    return this.getStmt.get(platform, key)?.value;
  }

  set(platform: string, key: string, value: string, now: number): void {
    this.setStmt.run(platform, key, value, now);
  }
}
