import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchSim, YouTubeSim } from '../../src/sim/index.js';
import { lectern } from '../cli-helpers.js';
import { tempDir, TOKEN, until, YT_KEY } from '../helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the service runs until a signal, whatever is configured', () => {
  it('Twitch only, YouTube only and both, with the dashboard on and off: still running after the reader idles, exit 0 on SIGTERM', async () => {
    const twitch = new TwitchSim({ validTokens: [TOKEN] });
    const port = await twitch.start();
    // YouTube asks for a poll every second: between calls, nothing but the reader's timer waits.
    const yt = new YouTubeSim({ apiKeys: [YT_KEY], pollingIntervalMillis: 1_000 });
    await yt.start();
    yt.addVideo('vid-live-01', 'chat-live-01');
    cleanups.push(
      () => twitch.stop(),
      () => yt.stop(),
    );
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const twitchYaml = `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${port}, secure: false }\n`;
    // A large quota: the planner then reads as often as YouTube allows (every second here).
    const youtubeYaml = (transport: string) =>
      `youtube:\n  videoId: vid-live-01\n  apiRoot: ${yt.rootUrl}\n  transport: ${transport}\n  quota: { dailyUnits: 10000000 }\n`;
    const combos = [
      ['twitch', twitchYaml],
      ['youtube-poll', youtubeYaml('poll')],
      ['youtube-auto', youtubeYaml('auto')],
      ['both', twitchYaml + youtubeYaml('poll')],
    ] as const;
    const runs = combos.flatMap(([name, yaml]) =>
      [true, false].map((dashboard) => {
        const id = `${name}-${dashboard ? 'dash' : 'nodash'}`;
        const config = join(dir, `${id}.yaml`);
        writeFileSync(config, `${yaml}dashboard: { enabled: ${dashboard}, port: 0 }\nstorage: { path: ${JSON.stringify(join(dir, id, 'lectern.db'))} }\n`);
        return { id, p: lectern(['start', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN, YOUTUBE_API_KEY: YT_KEY }) };
      }),
    );
    await until(() => runs.every((r) => r.p.stdout.includes('lectern is running') || r.p.code !== null), 'all running', 15_000);
    // Several poll intervals later, every one of them is still there.
    const listsBefore = yt.calls.filter((c) => c.method === 'list').length;
    await new Promise((r) => setTimeout(r, 3_500));
    expect(runs.filter((r) => r.p.code !== null).map((r) => `${r.id} exited ${r.p.code}: ${r.p.stderr.slice(-300)}`)).toEqual([]);
    expect(yt.calls.filter((c) => c.method === 'list').length).toBeGreaterThan(listsBefore);
    for (const r of runs) r.p.kill('SIGTERM');
    expect(await Promise.all(runs.map((r) => r.p.exited))).toEqual(runs.map(() => 0));
  }, 40_000);

  it('one service per database: a second start on it refuses and starts nothing; after a crash the next start goes ahead', async () => {
    const twitch = new TwitchSim({ validTokens: [TOKEN] });
    const port = await twitch.start();
    cleanups.push(() => twitch.stop());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = join(dir, 'lectern.yaml');
    writeFileSync(
      config,
      `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${port}, secure: false }\ndashboard: { enabled: false }\nstorage: { path: ./one.db }\n`,
    );
    const env = { TWITCH_OAUTH_TOKEN: TOKEN };
    const first = lectern(['start', '--config', config], env);
    cleanups.push(() => first.kill('SIGKILL'));
    await until(() => first.stdout.includes('lectern is running') || first.code !== null, 'first running', 15_000);
    const second = lectern(['start', '--config', config], env);
    expect(await second.exited).toBe(1);
    expect(second.stderr).toMatch(/another Lectern service \(process \d+ on .+\) is running on .*one\.db/);
    expect(second.stderr).not.toContain('lectern is running');
    // The refused start left the running one alone: still there, still healthy, one session.
    expect(first.code).toBeNull();
    const health = lectern(['healthcheck', '--config', config]);
    expect(await health.exited).toBe(0);
    expect(twitch.joined('teacher')).toBe(1);
    // A crash (no shutdown, the heartbeat still fresh): the next start sees the process is gone.
    first.kill('SIGKILL');
    await first.exited;
    const third = lectern(['start', '--config', config], env);
    cleanups.push(() => third.kill('SIGKILL'));
    await until(() => third.stdout.includes('lectern is running') || third.code !== null, 'third running', 15_000);
    expect(third.code).toBeNull();
    third.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 40_000);
});
