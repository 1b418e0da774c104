import { createServer } from 'node:net';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchSim, YouTubeSim } from '../../src/sim/index.js';
import { lectern } from '../cli-helpers.js';
import { tempDir, TOKEN, until } from '../helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../config/lectern.example.yaml', import.meta.url));
const NOTES = fileURLToPath(new URL('../fixtures/notes', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A port nothing listens on now (the dashboard's, in tests that run the CLI side by side). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(() => r(undefined)));
  return port;
}

/** The example config as a streamer copies it, pointed at the simulators and a temp folder. */
async function copiedExample(): Promise<{ config: string; dir: string }> {
  const twitch = new TwitchSim({ validTokens: [TOKEN] });
  const port = await twitch.start();
  const yt = new YouTubeSim({ apiKeys: ['AIza-test'] });
  await yt.start();
  yt.addChannel('UCexampleexampleexample1', '@yourchannel');
  yt.addVideo('vid-example', 'chat-of-the-example', { channelId: 'UCexampleexampleexample1', title: 'Example stream' });
  cleanups.push(
    () => twitch.stop(),
    () => yt.stop(),
  );
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const text = readFileSync(EXAMPLE, 'utf8')
    .replace('host: irc-ws.chat.twitch.tv', 'host: 127.0.0.1')
    .replace('port: 443', `port: ${port}`)
    .replace('secure: true', 'secure: false')
    .replace('apiRoot: https://youtube.googleapis.com/', `apiRoot: ${yt.rootUrl}`)
    .replace('- dir: ./notes', `- dir: ${JSON.stringify(NOTES)}`)
    .replace(/^(\s+)- https:\/\/you\.substack\.com\/feed$/m, '$1- http://127.0.0.1:9/feed')
    .replace('path: ./data/lectern.db', `path: ${JSON.stringify(join(dir, 'data', 'lectern.db'))}`)
    .replace(/^\s+channel: yourchannel$/m, '  channel: teacher')
    .replace('port: 8787', `port: ${await freePort()}`);
  const config = join(dir, 'lectern.yaml');
  writeFileSync(config, text);
  return { config, dir };
}

describe('the dashboard token and the data files', () => {
  it('without a terminal the token is never printed; dashboard-url gives a one-time login link; data files are private', async () => {
    const { config, dir } = await copiedExample();
    const env = { TWITCH_OAUTH_TOKEN: TOKEN, YOUTUBE_API_KEY: 'AIza-test' };
    const run = lectern(['start', '--config', config], env);
    await until(() => run.stdout.includes('lectern is running') || run.code !== null, 'running', 10_000);
    const token = readFileSync(join(dir, 'data', 'dashboard-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(run.stderr).toMatch(
      /Dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(log in with the link `lectern dashboard-url` prints; the token is in .*dashboard-token\)/,
    );
    expect(run.stdout + run.stderr).not.toContain(token);
    const url = lectern(['dashboard-url', '--config', config]);
    expect(await url.exited, url.stderr).toBe(0);
    const link = url.stdout.trim();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]{20,}$/);
    expect(url.stderr).toMatch(/Overlay for OBS \(read-only\): http:\/\/127\.0\.0\.1:\d+\/overlay\?key=/);
    expect(url.stdout + url.stderr).not.toContain(token);
    expect(url.stderr).not.toContain('not running');
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = /lectern_session=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1];
    expect((await fetch(link.replace(/\/login.*$/, '/api/state'), { headers: { cookie: `lectern_session=${cookie}` } })).status).toBe(200);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    // The port edited while it runs (applies at the next restart): the link is still the running service's.
    const port = Number(/:(\d+)\//.exec(link)![1]);
    writeFileSync(config, readFileSync(config, 'utf8').replace(`port: ${port}`, `port: ${port + 1}`));
    const edited = lectern(['dashboard-url', '--config', config]);
    expect(await edited.exited).toBe(0);
    expect(edited.stdout).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/login\\?code=`));
    expect(edited.stderr).toContain(
      `(The running service listens at http://127.0.0.1:${port}; the config's http://127.0.0.1:${port + 1} applies at its next restart.)`,
    );
    expect((await fetch(edited.stdout.trim(), { redirect: 'manual' })).status).toBe(303);
    const out = join(dir, 'questions.json');
    const exp = lectern(['export', '--config', config, '--format', 'json', '--out', out]);
    expect(await exp.exited).toBe(0);
    run.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // With the service stopped, the link still comes, and says nothing answers it yet.
    const later = lectern(['dashboard-url', '--config', config]);
    expect(await later.exited).toBe(0);
    expect(later.stderr).toContain('The service is not running now, so nothing answers there yet: run `lectern start` first.');
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(mode(join(dir, 'data'))).toBe(0o700);
    for (const f of ['lectern.db', 'dashboard-token']) expect(mode(join(dir, 'data', f)), f).toBe(0o600);
    expect(mode(out)).toBe(0o600);
  });
});

describe('set-up without friction', () => {
  it('doctor on the copied example config with no secrets lists every check, each missing secret with its fix', async () => {
    const { config } = await copiedExample();
    const d = lectern(['doctor', '--config', config]);
    expect(await d.exited).toBe(1);
    const lines = d.stdout.split('\n');
    const names = lines.map((l) => /^\s+(?:ok|FAIL)\s+(\S+)/.exec(l)?.[1]).filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['config', 'secrets', 'database', 'knowledge', 'twitch', 'youtube']));
    expect(d.stdout).toMatch(/FAIL\s+secrets\s+TWITCH_OAUTH_TOKEN: twitch\.username is set.*lectern auth twitch/);
    expect(d.stdout).toMatch(/FAIL\s+secrets\s+YOUTUBE_API_KEY: youtube is configured/);
    // The example's youtube.channelId is what is looked for, not "your active broadcast" (broadcast: mine).
    expect(d.stdout).toMatch(/ok\s+config\s+.*youtube the live stream of channel @yourchannel \(found with 2 quota units a check\), transport auto/);
    expect(d.stdout).not.toContain('your active broadcast');
    expect(d.stdout).toMatch(/ok\s+database\s+/);
    expect(d.stdout).toMatch(/ok\s+knowledge\s+\d+ notes/);
    expect(d.stdout).toMatch(/ok\s+twitch\s+reached 127\.0\.0\.1:\d+ and joined #teacher anonymously \(no token/);
    expect(d.stdout).toMatch(/FAIL\s+youtube\s+reached .*without credentials/);
    // The example's stand-ins still in it (the bot would post them) are named with their keys.
    expect(d.stdout).toMatch(
      /FAIL\s+example\s+still the example's stand-ins, which the bot would post as they are: .*twitch\.username \(yourbot\).*youtube\.channelId \(yourchannel\).*knowledge\.notes\[0\]\.baseUrl \(github\.com\/you\/\).*discord\.gg\/example/,
    );
  });

  it('start names every missing secret and exits 2; export, search and healthcheck need none', async () => {
    const { config, dir } = await copiedExample();
    const s = lectern(['start', '--config', config]);
    expect(await s.exited).toBe(2);
    expect(s.stderr).toMatch(/Secrets missing from the environment .*\(2\):\n\s+- TWITCH_OAUTH_TOKEN: .*\n\s+- YOUTUBE_API_KEY: /);
    const search = lectern(['search', '--config', config, 'softmax']);
    expect(await search.exited, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/softmax/i);
    const health = lectern(['healthcheck', '--config', config]);
    expect(await health.exited).toBe(1);
    expect(health.stdout).toMatch(/unhealthy/);
    // A database with one session, as a finished stream leaves it.
    const run = lectern(['start', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN, YOUTUBE_API_KEY: 'AIza-test', LECTERN_DASHBOARD_TOKEN: 'x'.repeat(40) });
    await until(() => run.stdout.includes('lectern is running') || run.code !== null, 'running', 10_000);
    run.kill('SIGTERM');
    expect(await run.exited, run.stderr + run.stdout.slice(-500)).toBe(0);
    const exp = lectern(['export', '--config', config, '--format', 'json']);
    expect(await exp.exited, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ stream: { id: 1 } });
    const list = lectern(['streams', '--config', config, '--json']);
    expect(await list.exited, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: 1, running: false, questions: { open: 0, answered: 0, all: 0 }, titles: { youtube: 'Example stream' } }),
    ]);
    const plain = lectern(['streams', '--config', config]);
    expect(await plain.exited).toBe(0);
    expect(plain.stdout).toMatch(/^#1\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d+ min\s+0 questions \(0 open, 0 answered\)\s+youtube: "Example stream"/);
    expect(dir).toBeTruthy();
  });

  it('a dashboard port in use names dashboard.port, exits 2 and starts no stream session', async () => {
    const { config, dir } = await copiedExample();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => blocker.close(() => r(undefined))));
    const port = (blocker.address() as { port: number }).port;
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^  port: \d+$/m, `  port: ${port}`));
    const s = lectern(['start', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN, YOUTUBE_API_KEY: 'AIza-test', LECTERN_DASHBOARD_TOKEN: 'x'.repeat(40) });
    expect(await s.exited).toBe(2);
    expect(s.stderr).toMatch(new RegExp(`dashboard\\.port ${port} on 127\\.0\\.0\\.1 is already in use.*change dashboard\\.port`));
    const db = new Database(join(dir, 'data', 'lectern.db'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM streams').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
