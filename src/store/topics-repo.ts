import type { Db } from './database.js';

export type TopicSource = 'command' | 'dashboard' | 'note' | 'title';

export interface TopicRow {
  readonly id: number;
  readonly streamId: number;
  readonly title: string;
  readonly source: TopicSource;
  readonly startedAt: number;
  readonly setBy: string | null;
}

interface Raw {
  id: number;
  stream_id: number;
  title: string;
  source: string;
  started_at: number;
  set_by: string | null;
}

const toRow = (r: Raw): TopicRow => ({
  id: r.id,
  streamId: r.stream_id,
  title: r.title,
  source: r.source as TopicSource,
  startedAt: r.started_at,
  setBy: r.set_by,
});

export class TopicsRepo {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly currentStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[number, string, string, number, string | null]>(
      'INSERT INTO topics (stream_id, title, source, started_at, set_by) VALUES (?, ?, ?, ?, ?)',
    );
    this.listStmt = db.prepare<[number], Raw>('SELECT * FROM topics WHERE stream_id = ? ORDER BY started_at, id');
    this.currentStmt = db.prepare<[number], Raw>('SELECT * FROM topics WHERE stream_id = ? ORDER BY started_at DESC, id DESC LIMIT 1');
  }

  add(streamId: number, title: string, source: TopicSource, at: number, setBy: string | null): TopicRow {
    const id = Number(this.insertStmt.run(streamId, title, source, at, setBy).lastInsertRowid);
    return { id, streamId, title, source, startedAt: at, setBy };
  }

  timeline(streamId: number): TopicRow[] {
    return this.listStmt.all(streamId).map(toRow);
  }

  current(streamId: number): TopicRow | undefined {
    const r = this.currentStmt.get(streamId);
    return r ? toRow(r) : undefined;
  }
}
