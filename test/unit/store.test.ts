import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { readMigrations, storagePathProblem, Store } from '../../src/store/index.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers.js';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
const dbPath = () => {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return join(dir, 'sub', 'lectern.db');
};

describe('store', () => {
  it('creates the folder, uses WAL and applies migrations once', () => {
    const path = dbPath();
    const s = Store.open(path);
    expect(s.schemaVersion()).toBe(9);
    expect(s.check()).toBe('ok');
    s.close();
    const again = Store.open(path);
    expect(again.schemaVersion()).toBe(9);
    again.close();
    expect(Store.inspect(path)).toMatchObject({ exists: true, schemaVersion: 9, latestVersion: 9, integrity: 'ok', streams: 0 });
  });

  it('resumes a stream session within the window, after a clean stop or a crash', () => {
    const path = dbPath();
    const s = Store.open(path);
    const MIN = 60_000;
    const a = s.streams.beginOrResume(0, 30 * MIN);
    expect(a.resumed).toBe(false);
    s.streams.heartbeat(a.stream.id, 10 * MIN);
    // Crash (no end), restart 20 minutes after the last heartbeat: same session.
    const b = s.streams.beginOrResume(30 * MIN, 30 * MIN);
    expect(b).toMatchObject({ resumed: true, stream: { id: a.stream.id, resumes: 1 } });
    s.streams.end(a.stream.id, 40 * MIN);
    const c = s.streams.beginOrResume(69 * MIN, 30 * MIN);
    expect(c.stream.id).toBe(a.stream.id);
    s.streams.end(a.stream.id, 70 * MIN);
    const d = s.streams.beginOrResume(101 * MIN, 30 * MIN);
    expect(d).toMatchObject({ resumed: false });
    expect(d.stream.id).not.toBe(a.stream.id);
    s.close();
  });

  it('opens read-only a database from before the chat commands (an export before the upgraded service ran)', () => {
    const path = dbPath();
    openDatabase(
      path,
      readMigrations().filter((m) => m.version <= 8),
    ).close();
    const s = Store.openReadOnly(path);
    expect(s.schemaVersion()).toBe(8);
    expect(s.streams.count()).toBe(0);
    s.close();
  });

  it('inspects a missing database without creating it', () => {
    const path = dbPath();
    expect(Store.inspect(path)).toMatchObject({ exists: false, streams: 0 });
    expect(() => Store.open(path)).not.toThrow();
  });

  it('reports an unusable database with a coded error', () => {
    const path = dbPath();
    const s = Store.open(path);
    s.close();
    // A file where a folder should be: the error names the key and the file in the way, and
    // storagePathProblem (doctor's check) finds it before anything is tried.
    expect(() => Store.open(join(path, 'inner.db'))).toThrow(
      expect.objectContaining({
        code: 'STORE_OPEN_FAILED',
        message: `Cannot open the database at ${join(path, 'inner.db')} (storage.path): ${path} is a file, not a folder`,
      }),
    );
    expect(storagePathProblem(join(path, 'deeper', 'inner.db'))).toBe(`${path} is a file, not a folder`);
    expect(storagePathProblem(join(path + '-new-folder', 'x', 'y.db'))).toBeUndefined();
    expect(storagePathProblem(path)).toBeUndefined();
    writeFileSync(path, 'this is not a database, just text that is long enough to be a header');
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    expect(() => Store.open(path)).toThrow(expect.objectContaining({ code: expect.stringMatching(/STORE_OPEN_FAILED|STORE_MIGRATION_FAILED/) }));
  });
});
