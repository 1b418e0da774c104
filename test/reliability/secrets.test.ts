import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
// The secrets the demo configures (src/cli/demo.ts). The dashboard token is left out on purpose: the
// demo prints it once in the dashboard's URL, which is how the streamer opens the page.
const SECRETS = ['demo-token-not-a-secret', 'demo-secret-not-a-secret', 'demo-refresh-not-a-secret'];
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('no secret leaks from a full demo run', () => {
  it('not in the output, the logs, the exports or any database row', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const out = await new Promise<string>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'demo', '--duration', '14'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
      let text = '';
      c.stdout.on('data', (d) => (text += d));
      c.stderr.on('data', (d) => (text += d));
      c.on('exit', () => resolve(text));
    });
    expect(out).toContain('Exports of stream session');
    const accessTokens = /ya29\.sim-\d+/;
    const log = readFileSync(join(dir, 'data', 'demo', 'lectern.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    for (const text of [out, log]) {
      for (const s of SECRETS) expect(text).not.toContain(s);
      expect(text).not.toMatch(accessTokens);
    }
    const exportsDir = join(dir, 'data', 'demo', 'exports');
    const files = readdirSync(exportsDir);
    expect(files.length).toBe(4);
    for (const f of files) {
      const text = readFileSync(join(exportsDir, f), 'utf8');
      for (const s of SECRETS) expect(text).not.toContain(s);
    }
    const db = new Database(join(dir, 'data', 'demo', 'lectern.db'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    let rows = 0;
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).all()) {
        rows++;
        const text = JSON.stringify(row);
        for (const s of SECRETS) expect(text, `${t} row`).not.toContain(s);
        expect(text).not.toMatch(accessTokens);
      }
    }
    db.close();
    expect(rows).toBeGreaterThan(10);
  }, 40_000);
});
