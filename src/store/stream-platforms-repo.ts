import type { Db } from './database.js';

export interface StreamPlatformRow {
  readonly streamId: number;
  readonly platform: string;
  readonly videoId: string | null;
  readonly vodUrl: string | null;
  readonly title: string | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

interface Raw {
  stream_id: number;
  platform: string;
  video_id: string | null;
  vod_url: string | null;
  title: string | null;
  started_at: number | null;
  ended_at: number | null;
}

const toRow = (r: Raw): StreamPlatformRow => ({
  streamId: r.stream_id,
  platform: r.platform,
  videoId: r.video_id,
  vodUrl: r.vod_url,
  title: r.title,
  startedAt: r.started_at,
  endedAt: r.ended_at,
});

/** What each platform said about a stream session (its recording, title, start and end). */
export class StreamPlatformsRepo {
  private readonly upsertStmt;
  private readonly endStmt;
  private readonly listStmt;

  constructor(db: Db) {
    // Only what is known is written: a later `live` without a recording keeps the one found before.
    this.upsertStmt = db.prepare<[number, string, string | null, string | null, string | null, number | null]>(`
      INSERT INTO stream_platforms (stream_id, platform, video_id, vod_url, title, started_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (stream_id, platform) DO UPDATE SET
        video_id = coalesce(excluded.video_id, video_id), vod_url = coalesce(excluded.vod_url, vod_url),
        title = coalesce(excluded.title, title), started_at = coalesce(excluded.started_at, started_at), ended_at = NULL`);
    this.endStmt = db.prepare<[number, number, string]>('UPDATE stream_platforms SET ended_at = ? WHERE stream_id = ? AND platform = ?');
    this.listStmt = db.prepare<[number], Raw>('SELECT * FROM stream_platforms WHERE stream_id = ? ORDER BY platform');
  }

  live(streamId: number, platform: string, info: { videoId?: string; vodUrl?: string; title?: string; startedAt?: number }): void {
    this.upsertStmt.run(streamId, platform, info.videoId ?? null, info.vodUrl ?? null, info.title ?? null, info.startedAt ?? null);
  }

  offline(streamId: number, platform: string, at: number): void {
    this.endStmt.run(at, streamId, platform);
  }

  list(streamId: number): StreamPlatformRow[] {
    return this.listStmt.all(streamId).map(toRow);
  }
}
