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

function run(args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', TWITCH_OAUTH_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, out: () => out, exited: new Promise((r) => child.on('exit', (c) => r(c))) };
}

const acked = (sim: TwitchSim) => new Set(sim.sent.flatMap((m) => [...m.text.matchAll(/@(v\d+) (?:noted as )?#(\d+)/g)].map((g) => `${g[1]}=${g[2]}`)));

describe('crash safety', () => {
  it('SIGKILL in the middle of a burst of !q: every acknowledged question survives and the session resumes', async () => {
    const sim = new TwitchSim({ validTokens: [TOKEN], botRole: 'moderator' });
    const port = await sim.start();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup, () => sim.stop());
    const config = join(dir, 'lectern.yaml');
    writeFileSync(config, `twitch: { channel: teacher, username: lecternbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }\n`);

    const first = run(['start', '--config', config]);
    await until(() => first.out().includes('lectern is running'), 'first start', 15_000);
    expect(first.out()).toContain('new stream session');
    let i = 0;
    const burst = setInterval(() => {
      for (let k = 0; k < 5 && i < 400; k++, i++) sim.chat('teacher', viewer(`v${i}`), `!q question ${i} about topic ${i} and detail ${i * 7}?`);
    }, 2);
    await until(() => acked(sim).size >= 20, 'some acknowledgements', 15_000);
    first.child.kill('SIGKILL');
    clearInterval(burst);
    expect(await first.exited).toBe(null);
    const before = acked(sim);
    expect(before.size).toBeGreaterThanOrEqual(20);

    const second = run(['start', '--config', config]);
    await until(() => second.out().includes('lectern is running'), 'restart', 15_000);
    expect(second.out()).toContain('resumed stream session');
    const exp = run(['export', '--config', config, '--format', 'json']);
    expect(await exp.exited).toBe(0);
    const json = JSON.parse(exp.out()) as { stream: { id: number }; questions: Array<{ id: number; askers: Array<{ name: string }> }> };
    expect(json.stream.id).toBe(1);
    const stored = new Set(json.questions.flatMap((q) => q.askers.map((a) => `${a.name}=${q.id}`)));
    for (const a of before) expect(stored.has(a), `acknowledged ${a} is stored`).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
