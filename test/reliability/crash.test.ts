import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchSim } from '../../src/sim/index.js';
import { tempDir, TOKEN, until, viewer } from '../helpers.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function run(args: string[]): { child: ChildProcess; out: () => string; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', TWITCH_OAUTH_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d) => {
    out += d;
    stdout += d;
  });
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, out: () => out, stdout: () => stdout, exited: new Promise((r) => child.on('exit', (c) => r(c))) };
}

const acked = (sim: TwitchSim) => new Set(sim.sent.flatMap((m) => [...m.text.matchAll(/@(v\d+) (?:noted as )?#(\d+)/g)].map((g) => `${g[1]}=${g[2]}`)));

describe('crash safety', () => {
  const KILLS = process.env['LECTERN_LONG'] ? 20 : 2;

  it(
    `${KILLS} SIGKILLs at random moments of a run with questions, votes and topic changes: nothing acknowledged is lost`,
    async () => {
      const sim = new TwitchSim({ validTokens: [TOKEN], botRole: 'moderator' });
      const port = await sim.start();
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup, () => sim.stop());
      const config = join(dir, 'lectern.yaml');
      writeFileSync(
        config,
        `twitch: { channel: teacher, username: lecternbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }\ndashboard: { enabled: false }\n`,
      );
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      let i = 0;
      const allAcked = new Set<string>();
      for (let kill = 0; kill < KILLS; kill++) {
        const run1 = run(['start', '--config', config]);
        await until(() => run1.out().includes('lectern is running'), `start ${kill}`, 15_000);
        expect(run1.out()).toContain(kill === 0 ? 'new stream session' : 'resumed stream session');
        const sentBefore = sim.sent.length;
        const burst = setInterval(() => {
          for (let k = 0; k < 5; k++, i++) {
            const r = rand();
            const text =
              r < 0.6
                ? `!q question ${i} about topic ${i} and detail ${i * 7}?`
                : r < 0.85
                  ? `!up ${1 + Math.floor(rand() * Math.max(1, i / 2))}`
                  : r < 0.95
                    ? 'ordinary chat, nothing to see'
                    : `!topic set Topic ${i}`;
            sim.chat('teacher', viewer(r >= 0.95 ? 'modx' : `v${i}`, r >= 0.95 ? { moderator: '1' } : undefined), text);
          }
        }, 50);
        // Kill at a random moment once the run has answered something. (A restart may first wait
        // out Twitch's send window left by the run before: the outbox remembers it.)
        await until(() => sim.sent.length > sentBefore + 2, `answers ${kill}`, 40_000);
        await new Promise((r) => setTimeout(r, rand() * 1500));
        run1.child.kill('SIGKILL');
        clearInterval(burst);
        expect(await run1.exited).toBe(null);
        for (const a of acked(sim)) allAcked.add(a);
      }
      const final = run(['start', '--config', config]);
      await until(() => final.out().includes('lectern is running'), 'final start', 15_000);
      expect(final.out()).toContain('resumed stream session');
      const exp = run(['export', '--config', config, '--format', 'json']);
      expect(await exp.exited).toBe(0);
      const json = JSON.parse(exp.stdout()) as { stream: { id: number }; questions: Array<{ id: number; askers: Array<{ name: string }> }> };
      expect(json.stream.id).toBe(1);
      const stored = new Set(json.questions.flatMap((q) => q.askers.map((a) => `${a.name}=${q.id}`)));
      expect(allAcked.size).toBeGreaterThan(KILLS * 2);
      for (const a of allAcked) expect(stored.has(a), `acknowledged ${a} is stored`).toBe(true);
      // Send times survive the crashes too: no restart pushed the account over Twitch's limit.
      expect(sim.violations).toEqual([]);
      console.log(
        `CRASH ${JSON.stringify({ kills: KILLS, acknowledged: allAcked.size, stored: json.questions.length, sent: sim.sent.length, overLimit: sim.violations.length })}`,
      );
      final.child.kill('SIGTERM');
      expect(await final.exited).toBe(0);
    },
    process.env['LECTERN_LONG'] ? 1_200_000 : 90_000,
  );
});
