import type { Db } from './database.js';

export interface StreamSummary extends StreamRow {
  readonly questions: { readonly open: number; readonly answered: number; readonly all: number };
  /** The stream's title on each platform, when known. */
  readonly titles: Readonly<Record<string, string>>;
}

export interface StreamRow {
  readonly id: number;
  readonly startedAt: number;
  readonly lastSeenAt: number;
  readonly endedAt: number | null;
  readonly resumes: number;
}

interface RawRow {
  id: number;
  started_at: number;
  last_seen_at: number;
  ended_at: number | null;
  resumes: number;
}

const toRow = (r: RawRow): StreamRow => ({
  id: r.id,
  startedAt: r.started_at,
  lastSeenAt: r.last_seen_at,
  endedAt: r.ended_at,
  resumes: r.resumes,
});

export class StreamsRepo {
  private readonly latestStmt;
  private readonly getStmt;
  private readonly insertStmt;
  private readonly resumeStmt;
  private readonly heartbeatStmt;
  private readonly endStmt;

  constructor(private readonly db: Db) {
    this.latestStmt = db.prepare<[], RawRow>('SELECT * FROM streams ORDER BY id DESC LIMIT 1');
    this.getStmt = db.prepare<[number], RawRow>('SELECT * FROM streams WHERE id = ?');
    this.insertStmt = db.prepare<[number, number]>('INSERT INTO streams (started_at, last_seen_at) VALUES (?, ?)');
    this.resumeStmt = db.prepare<[number, number]>('UPDATE streams SET ended_at = NULL, last_seen_at = ?, resumes = resumes + 1 WHERE id = ?');
    this.heartbeatStmt = db.prepare<[number, number]>('UPDATE streams SET last_seen_at = ? WHERE id = ?');
    this.endStmt = db.prepare<[number, number, number]>('UPDATE streams SET ended_at = ?, last_seen_at = ? WHERE id = ?');
  }

  /** Begins a new session now (a platform went live while none was running). */
  begin(startedAt: number, now: number): StreamRow {
    const id = Number(this.insertStmt.run(startedAt, now).lastInsertRowid);
    return this.get(id)!;
  }

  /** Every session, newest first, with its questions counted by state (`lectern streams`). */
  summaries(): StreamSummary[] {
    const rows = this.db
      .prepare(
        `
        SELECT s.*,
          (SELECT count(*) FROM questions q WHERE q.stream_id = s.id AND q.state = 'open') AS open_questions,
          (SELECT count(*) FROM questions q WHERE q.stream_id = s.id AND q.state = 'answered') AS answered_questions,
          (SELECT count(*) FROM questions q WHERE q.stream_id = s.id AND q.state != 'removed') AS all_questions,
          (SELECT group_concat(platform || char(31) || coalesce(title, ''), char(30)) FROM stream_platforms p WHERE p.stream_id = s.id) AS titles
        FROM streams s ORDER BY s.id DESC`,
      )
      .all() as Array<RawRow & { open_questions: number; answered_questions: number; all_questions: number; titles: string | null }>;
    return rows.map((r) => ({
      ...toRow(r),
      questions: { open: r.open_questions, answered: r.answered_questions, all: r.all_questions },
      titles: Object.fromEntries(
        (r.titles ?? '')
          .split('\u001e')
          .filter(Boolean)
          .map((t) => t.split('\u001f') as [string, string])
          .filter(([, t]) => t),
      ),
    }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM streams').get() as { n: number }).n;
  }

  latest(): StreamRow | undefined {
    const r = this.latestStmt.get();
    return r ? toRow(r) : undefined;
  }

  get(id: number): StreamRow | undefined {
    const r = this.getStmt.get(id);
    return r ? toRow(r) : undefined;
  }

  /**
   * Resumes the latest session if it showed life (heartbeat or clean stop) within the window,
   * else starts a new one. A crash leaves no `ended_at`, so the heartbeat is what counts.
   */
  beginOrResume(now: number, resumeWithinMs: number): { stream: StreamRow; resumed: boolean } {
    return this.db.transaction(() => {
      const last = this.latest();
      if (last) {
        const lastAlive = Math.max(last.lastSeenAt, last.endedAt ?? 0);
        if (now - lastAlive <= resumeWithinMs) {
          this.resumeStmt.run(now, last.id);
          return { stream: this.get(last.id)!, resumed: true };
        }
      }
      const id = Number(this.insertStmt.run(now, now).lastInsertRowid);
      return { stream: this.get(id)!, resumed: false };
    })();
  }

  heartbeat(id: number, now: number): void {
    this.heartbeatStmt.run(now, id);
  }

  end(id: number, now: number): void {
    this.endStmt.run(now, now, id);
  }
}
