import { openDatabase, schemaVersion, type Db } from './database.js';
import { StreamsRepo } from './streams-repo.js';
import { PlatformStateRepo } from './platform-state-repo.js';

export type { StreamRow } from './streams-repo.js';
export { readMigrations } from './database.js';

/** The store: one SQLite file, small repositories, nothing outside this folder writes SQL. */
export class Store {
  readonly streams: StreamsRepo;
  readonly platformState: PlatformStateRepo;
  private closed = false;

  private constructor(private readonly db: Db, readonly path: string) {
    this.streams = new StreamsRepo(db);
    this.platformState = new PlatformStateRepo(db);
  }

  static open(path: string): Store {
    return new Store(openDatabase(path), path);
  }

  schemaVersion(): number {
    return schemaVersion(this.db);
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
