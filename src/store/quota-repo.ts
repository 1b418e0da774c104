import type { Db } from './database.js';

export interface QuotaDay {
  readonly units: number;
  readonly replyUnits: number;
}

/** Units spent per platform and day, so a restart mid-stream knows what is left. */
export class QuotaRepo {
  private readonly getStmt;
  private readonly addStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], { units: number; reply_units: number }>(
      'SELECT units, reply_units FROM quota_ledger WHERE platform = ? AND day = ?',
    );
    this.addStmt = db.prepare<[string, string, number, number]>(
      'INSERT INTO quota_ledger (platform, day, units, reply_units) VALUES (?, ?, ?, ?) ON CONFLICT (platform, day) DO UPDATE SET units = units + excluded.units, reply_units = reply_units + excluded.reply_units',
    );
  }

  get(platform: string, day: string): QuotaDay {
    const r = this.getStmt.get(platform, day);
    return { units: r?.units ?? 0, replyUnits: r?.reply_units ?? 0 };
  }

  add(platform: string, day: string, units: number, replyUnits: number): void {
    this.addStmt.run(platform, day, units, replyUnits);
  }
}
