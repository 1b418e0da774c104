import type { Db } from './database.js';

export interface MarkerRow {
  readonly streamId: number;
  readonly topicId: number | null;
  readonly createdAt: number;
  readonly positionSeconds: number;
  readonly description: string;
}

export class MarkersRepo {
  private readonly insertStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[number, number | null, number, number, string]>(
      'INSERT INTO markers (stream_id, topic_id, created_at, position_seconds, description) VALUES (?, ?, ?, ?, ?)',
    );
    this.listStmt = db.prepare<[number], { stream_id: number; topic_id: number | null; created_at: number; position_seconds: number; description: string }>(
      'SELECT * FROM markers WHERE stream_id = ? ORDER BY created_at',
    );
  }

  add(m: MarkerRow): void {
    this.insertStmt.run(m.streamId, m.topicId, m.createdAt, m.positionSeconds, m.description);
  }

  list(streamId: number): MarkerRow[] {
    return this.listStmt
      .all(streamId)
      .map((r) => ({ streamId: r.stream_id, topicId: r.topic_id, createdAt: r.created_at, positionSeconds: r.position_seconds, description: r.description }));
  }
}
