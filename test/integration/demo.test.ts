import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** `lectern demo` with stdout and stderr into one stream, as `npm run demo > file 2>&1` does. */
const runDemo = (cwd: string, seconds: number) =>
  new Promise<string>((resolve) => {
    const c = spawn(process.execPath, [CLI, 'demo', '--duration', String(seconds)], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let text = '';
    c.stdout.on('data', (d) => (text += d));
    c.stderr.on('data', (d) => (text += d));
    c.on('exit', () => resolve(text));
  });

describe('npm run demo', () => {
  it('a second run starts afresh, prints whole replies, and keeps log lines out of the transcript', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = await runDemo(dir, 13);
    // Replies carry whole links.
    const links = first.split('\n').filter((l) => l.includes('lecternbot →') && l.includes('https://'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/https:\/\/\S+#[\w-]+$/);
    const second = await runDemo(dir, 5);
    for (const out of [first, second]) {
      expect(out).toContain('Stream session #1 started.');
      expect(out).not.toContain('you already asked');
      // No pino line (JSON or pretty) among the transcript.
      expect(out).not.toMatch(/^\{"level"|^\[\d\d:\d\d:\d\d\.\d+\]/m);
    }
  }, 40_000);
});
