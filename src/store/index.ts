import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { LecternError } from '../core/index.js';
import { openDatabase, readMigrations, schemaVersion, type Db } from './database.js';
import { StreamsRepo } from './streams-repo.js';
import { PlatformStateRepo } from './platform-state-repo.js';
import { QuotaRepo } from './quota-repo.js';
import { TopicsRepo } from './topics-repo.js';
import { QuestionsRepo } from './questions-repo.js';
import { MarkersRepo } from './markers-repo.js';
import { StreamPlatformsRepo } from './stream-platforms-repo.js';
import { DashboardAuthRepo } from './dashboard-auth-repo.js';
import { BacklogRepo } from './backlog-repo.js';
import { EngagementRepo } from './engagement-repo.js';
import { ViewerDataRepo } from './viewer-data-repo.js';
import { backupInto } from './backup.js';
import { CommandsRepo } from './commands-repo.js';

import type { StreamRow } from './streams-repo.js';
export type { StreamRow, StreamSummary } from './streams-repo.js';
export type { StreamPlatformRow, StreamPlatformsRepo } from './stream-platforms-repo.js';
export type { DashboardAuthRepo } from './dashboard-auth-repo.js';
export type { BacklogRepo, BacklogRow, ItemState, ItemQuestion, ProposalRow, FollowUpRow } from './backlog-repo.js';
export type { EngagementRepo, TopicEngagementRow } from './engagement-repo.js';
export type { CommandsRepo, CommandRow, TimerRow } from './commands-repo.js';
export { readMigrations, storagePathProblem } from './database.js';
export type { ViewerDataRepo, ForgetResult, QuestionRef } from './viewer-data-repo.js';
export { ALL_PAGES, checkDatabase, copyDatabase, moveDatabase, type DatabaseCheck } from './backup.js';
import type { QuotaDay } from './quota-repo.js';
export type { QuotaRepo, QuotaDay } from './quota-repo.js';
export type { PlatformStateRepo } from './platform-state-repo.js';
export type { TopicsRepo, TopicRow, TopicSource } from './topics-repo.js';
export type { MarkersRepo, MarkerRow } from './markers-repo.js';
export type { QuestionsRepo, QuestionRow, QuestionState, QuestionSource, NewQuestion, Asker, PaidRow } from './questions-repo.js';
export { questionScore } from './questions-repo.js';

export interface StoreInspection {
  readonly exists: boolean;
  readonly schemaVersion: number;
  readonly latestVersion: number;
  readonly integrity: string;
  readonly streams: number;
  readonly latestStream: StreamRow | undefined;
  /** When the running service last said it was alive (every minute), if ever. */
  readonly heartbeatAt: number | undefined;
  /** Quota spent per platform on the given day (only when asked). */
  readonly quota: Readonly<Record<string, QuotaDay>>;
}

/** The store: one SQLite file, small repositories, nothing outside this folder writes SQL. */
export class Store {
  readonly streams: StreamsRepo;
  readonly platformState: PlatformStateRepo;
  readonly quota: QuotaRepo;
  readonly topics: TopicsRepo;
  readonly questions: QuestionsRepo;
  readonly markers: MarkersRepo;
  readonly streamPlatforms: StreamPlatformsRepo;
  readonly dashboardAuth: DashboardAuthRepo;
  readonly backlog: BacklogRepo;
  readonly engagement: EngagementRepo;
  readonly viewers: ViewerDataRepo;
  readonly commands: CommandsRepo;
  private closed = false;

  private constructor(
    private readonly db: Db,
    readonly path: string,
  ) {
    this.streams = new StreamsRepo(db);
    this.platformState = new PlatformStateRepo(db);
    this.quota = new QuotaRepo(db);
    this.topics = new TopicsRepo(db);
    this.questions = new QuestionsRepo(db);
    this.markers = new MarkersRepo(db);
    this.streamPlatforms = new StreamPlatformsRepo(db);
    this.dashboardAuth = new DashboardAuthRepo(db);
    this.backlog = new BacklogRepo(db);
    this.engagement = new EngagementRepo(db);
    this.viewers = new ViewerDataRepo(db);
    this.commands = new CommandsRepo(db);
  }

  /** Opens a database read-only (exports while the service runs; WAL lets both work). */
  static openReadOnly(path: string): Store {
    if (!existsSync(path)) throw new LecternError('STORE_OPEN_FAILED', `There is no database at ${path} yet`);
    try {
      return new Store(new Database(path, { readonly: true, fileMustExist: true }), path);
    } catch (cause) {
      throw new LecternError('STORE_OPEN_FAILED', `Cannot open the database at ${path}`, { cause });
    }
  }

  static open(path: string): Store {
    return new Store(openDatabase(path), path);
  }

  /** Looks at a database without changing it (for `doctor`). */
  static inspect(path: string, quotaDay?: string): StoreInspection {
    const latestVersion = Math.max(0, ...readMigrations().map((m) => m.version));
    if (!existsSync(path))
      return { exists: false, schemaVersion: 0, latestVersion, integrity: 'ok', streams: 0, latestStream: undefined, heartbeatAt: undefined, quota: {} };
    let db: Db;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (cause) {
      throw new LecternError('STORE_OPEN_FAILED', `Cannot open the database at ${path}`, { cause });
    }
    try {
      const version = schemaVersion(db);
      const integrity = String(db.pragma('quick_check', { simple: true }));
      if (version === 0)
        return { exists: true, schemaVersion: 0, latestVersion, integrity, streams: 0, latestStream: undefined, heartbeatAt: undefined, quota: {} };
      const repo = new StreamsRepo(db);
      const quota: Record<string, QuotaDay> = quotaDay && version >= 2 ? { youtube: new QuotaRepo(db).get('youtube', quotaDay) } : {};
      const beat = Number(new PlatformStateRepo(db).get('lectern', 'heartbeat'));
      return {
        exists: true,
        schemaVersion: version,
        latestVersion,
        integrity,
        streams: repo.count(),
        latestStream: repo.latest(),
        heartbeatAt: Number.isFinite(beat) && beat > 0 ? beat : undefined,
        quota,
      };
    } finally {
      db.close();
    }
  }

  schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Runs `fn` in one transaction that takes the write lock at once: two processes (the service and
   * a CLI command) doing the same read-then-write wait for each other instead of both writing.
   */
  immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * A consistent copy of the database in `file` (SQLite's online backup API, never a file copy of
   * a WAL database), `pagesPerStep` pages between turns of the event loop.
   */
  backup(file: string, pagesPerStep?: number): Promise<void> {
    return backupInto(this.db, file, pagesPerStep);
  }

  /** Integrity check for `doctor`: "ok" or SQLite's first complaint. */
  check(): string {
    return String(this.db.pragma('quick_check', { simple: true }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
