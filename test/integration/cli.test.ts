import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchSim, YouTubeSim } from '../../src/sim/index.js';
import { tempDir, TOKEN, until, viewer, YT_KEY, YT_OAUTH_ENV, YT_REFRESH } from '../helpers.js';
import { lectern } from '../cli-helpers.js';
import { TokenStore } from '../../src/auth/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simAndConfig(extra = '', simOptions: ConstructorParameters<typeof TwitchSim>[0] = {}, twitchExtra = '') {
  const sim = new TwitchSim({ validTokens: [TOKEN], ...simOptions });
  const port = await sim.start();
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup, () => sim.stop());
  const config = join(dir, 'lectern.yaml');
  writeFileSync(
    config,
    `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${port}, secure: false }\n${twitchExtra}storage: { path: ${JSON.stringify(join(dir, 'db', 'lectern.db'))} }\n${extra}`,
  );
  return { sim, dir, config, db: join(dir, 'db', 'lectern.db') };
}

describe('lectern CLI', () => {
  it('prints its version and exits 2 on bad usage', async () => {
    const v = lectern(['--version']);
    expect(await v.exited).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = lectern(['start', '--no-such-flag']);
    expect(await bad.exited).toBe(2);
    const unknown = lectern(['frobnicate']);
    expect(await unknown.exited).toBe(2);
  });

  it('lists every config problem with its path, exits 2 and starts nothing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = join(dir, 'bad.yaml');
    writeFileSync(
      config,
      `twitch:\n  channel: teacher\n  server: { port: 99999 }\n  colour: red\nstorage: { path: ${JSON.stringify(join(dir, 'x.db'))} }\ncommands: { prefix: 5 }\n`,
    );
    const p = lectern(['start', '--config', config]);
    expect(await p.exited).toBe(2);
    expect(p.stderr).toContain('3 problems');
    expect(p.stderr).toContain('twitch.server.port: expected at most 65535');
    expect(p.stderr).toContain('twitch.colour: unknown key');
    expect(p.stderr).toContain('commands.prefix: expected a string, got the number 5');
    expect(existsSync(join(dir, 'x.db'))).toBe(false);

    const missing = lectern(['doctor', '--config', join(dir, 'nope.yaml')]);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: no such file/);
  });

  it('a storage.path under a file: doctor fails the check; start names the key, logs no stack trace and leaves the file alone', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'important notes\n', { mode: 0o644 });
    const config = join(dir, 'lectern.yaml');
    writeFileSync(config, `twitch: { channel: teacher }\nstorage: { path: ${JSON.stringify(join(file, 'x.db'))} }\ndashboard: { enabled: false }\n`);
    const d = lectern(['doctor', '--config', config]);
    expect(await d.exited).toBe(1);
    expect(d.stdout).toContain(`FAIL  database  storage.path ${join(file, 'x.db')} cannot be used: ${file} is a file, not a folder`);
    const s = lectern(['start', '--config', config]);
    expect(await s.exited).toBe(1);
    expect(s.stderr).toContain(`lectern: Cannot open the database at ${join(file, 'x.db')} (storage.path): ${file} is a file, not a folder`);
    expect(s.stdout).not.toContain('stack');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('with no database yet: one wording everywhere, with the hint; forget exits 2 (nothing to forget, as for an unknown name)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = join(dir, 'lectern.yaml');
    const db = join(dir, 'db', 'lectern.db');
    writeFileSync(config, `twitch: { channel: teacher }\nstorage: { path: ${JSON.stringify(db)} }\n`);
    const commands: Array<[string, string[]]> = [
      ['streams', ['streams']],
      ['export', ['export', '-f', 'md']],
      ['export', ['export', '-f', 'md', '--topic', 'Attention']],
      ['answer', ['answer', '3', '--live']],
      ['backlog', ['backlog']],
      ['topics', ['topics']],
      ['backup', ['backup']],
    ];
    for (const [name, args] of commands) {
      const p = lectern([...args, '--config', config]);
      expect(await p.exited, args.join(' ')).toBe(1);
      expect(p.stderr, args.join(' ')).toBe(`lectern ${name}: there is no database at ${db} yet: start the service once first\n`);
    }
    const forget = lectern(['forget', '--config', config, 'twitch', 'bob']);
    expect(await forget.exited).toBe(2);
    expect(forget.stderr).toBe(`lectern forget: there is no database at ${db} yet: nothing is stored about anyone\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('answer: says "not both" only when both --url and --live are given', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = join(dir, 'lectern.yaml');
    writeFileSync(config, `twitch: { channel: teacher }\nstorage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }\n`);
    const neither = lectern(['answer', '3', '--config', config]);
    expect(await neither.exited).toBe(2);
    expect(neither.stderr).toMatch(/give --url <the post that answers it> or --live \(answered on stream\)\n$/);
    const both = lectern(['answer', '3', '--config', config, '--live', '--url', 'https://blog.example/x']);
    expect(await both.exited).toBe(2);
    expect(both.stderr).toMatch(/, not both\n$/);
  });

  it('a refused login is a clear error, exit 1, and no reconnect loop', async () => {
    const { sim, config } = await simAndConfig();
    const p = lectern(['start', '--config', config], { TWITCH_OAUTH_TOKEN: 'wrong-token-123' });
    expect(await p.exited).toBe(1);
    expect(p.stderr).toMatch(/Twitch refused the login/);
    expect(sim.connectionsAccepted).toBe(1);
    expect(p.stdout + p.stderr).not.toContain('wrong-token-123');
  });

  it('runs, answers, and on SIGTERM shuts down in order with exit 0; logs carry no secret and no chat text', async () => {
    const { sim, config, db } = await simAndConfig();
    const p = lectern(['start', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN });
    await until(() => p.stdout.includes('lectern is running'), 'running', 10_000);
    sim.chat('teacher', viewer('alice'), '!help secret-marker-words-here');
    await until(() => sim.sent.length === 1, 'reply', 10_000);
    const healthy = lectern(['healthcheck', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN });
    expect(await healthy.exited).toBe(0);
    p.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const stopped = lectern(['healthcheck', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN });
    expect(await stopped.exited).toBe(1);
    const messages = p.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    const order = messages.map((m) => m.msg).filter((m) => ['shutting down', 'stopped'].includes(m));
    expect(order).toEqual(['shutting down', 'stopped']);
    expect(p.stdout).not.toContain(TOKEN);
    expect(p.stdout).not.toContain('secret-marker-words-here');
    const row = new Database(db, { readonly: true }).prepare('SELECT ended_at FROM streams').get() as { ended_at: number | null };
    expect(row.ended_at).not.toBeNull();
  });

  it('doctor reports config, database and Twitch in plain words', async () => {
    // Port 0: the dashboard check never depends on what else this machine runs.
    const { config } = await simAndConfig('dashboard: { port: 0 }\n');
    const ok = lectern(['doctor', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN });
    expect(await ok.exited).toBe(0);
    expect(ok.stdout).toMatch(/ok\s+config\s+.*twitch #teacher as lecternbot, TWITCH_OAUTH_TOKEN set/);
    expect(ok.stdout).toMatch(/ok\s+secrets\s+every secret this config needs is in the environment/);
    expect(ok.stdout).toMatch(/ok\s+database\s+.*does not exist yet/);
    expect(ok.stdout).toMatch(/ok\s+twitch\s+reached 127\.0\.0\.1:\d+ and joined #teacher as lecternbot/);
    expect(ok.stdout).toMatch(/ok\s+dashboard\s+dashboard\.port 0 on 127\.0\.0\.1 is free/);
    expect(ok.stdout).not.toContain(TOKEN);
    const bad = lectern(['doctor', '--config', config], { TWITCH_OAUTH_TOKEN: 'not-the-token' });
    expect(await bad.exited).toBe(1);
    expect(bad.stdout).toMatch(/FAIL\s+twitch\s+Twitch refused the login/);
  });

  it('doctor fails the Twitch check for a channel that does not exist, naming it', async () => {
    const { config } = await simAndConfig('', { channels: ['someoneelse'] }, '  joinTimeoutSeconds: 1\n');
    const d = lectern(['doctor', '--config', config], { TWITCH_OAUTH_TOKEN: TOKEN });
    expect(await d.exited).toBe(1);
    expect(d.stdout).toMatch(/FAIL\s+twitch\s+reached 127\.0\.0\.1:\d+, but #teacher: no such channel, or it is suspended; check twitch\.channel/);
  });

  it('doctor checks YouTube: live video, credentials (read-only with a key) and quota', async () => {
    const yt = new YouTubeSim({ apiKeys: [YT_KEY], refreshTokens: [YT_REFRESH] });
    await yt.start();
    cleanups.push(() => yt.stop());
    yt.addVideo('vid-live-01', 'chat-live-01');
    yt.addVideo('vid-later-1');
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const write = (name: string, video: string) => {
      const path = join(dir, name);
      writeFileSync(
        path,
        `youtube:\n  videoId: ${video}\n  apiRoot: ${yt.rootUrl}\n  oauth: { tokenUrl: ${yt.rootUrl}token }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\ndashboard: { enabled: false }\n`,
      );
      return path;
    };
    const live = lectern(['doctor', '--config', write('a.yaml', 'vid-live-01')], { YOUTUBE_API_KEY: YT_KEY });
    expect(await live.exited).toBe(0);
    expect(live.stdout).toMatch(
      /ok\s+youtube\s+reached .*video vid-live-01 is live \("Live: vid-live-01"\) \(chat chat-live-01\); API key only: read-only.*quota today 0 of 10000 units used/,
    );
    // A linked account, started without the client's variables: doctor says why it is not used.
    new TokenStore(join(dir, 'tokens.json')).set('youtube', {
      refreshToken: YT_REFRESH,
      scopes: ['https://www.googleapis.com/auth/youtube.force-ssl'],
      obtainedAt: Date.now(),
    });
    const unused = lectern(['doctor', '--config', write('a2.yaml', 'vid-live-01')], { YOUTUBE_API_KEY: YT_KEY });
    expect(await unused.exited).toBe(0);
    expect(unused.stdout).toContain(
      'API key only: read-only, the bot cannot answer on YouTube (a YouTube account is linked, but YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET are not set: set them to answer)',
    );
    const later = lectern(['doctor', '--config', write('b.yaml', 'vid-later-1')], YT_OAUTH_ENV);
    expect(await later.exited).toBe(0);
    expect(later.stdout).toMatch(/video vid-later-1 is not live yet; start waits for it \(1 quota unit a check\); OAuth \(reads and replies\)/);
    const missing = lectern(['doctor', '--config', write('c.yaml', 'vid-missing')], { YOUTUBE_API_KEY: YT_KEY });
    expect(await missing.exited).toBe(1);
    expect(missing.stdout).toMatch(/FAIL\s+youtube\s+YouTube has no video vid-missing/);
    yt.revoked.add(YT_REFRESH);
    const revoked = lectern(['doctor', '--config', write('d.yaml', 'vid-live-01')], YT_OAUTH_ENV);
    expect(await revoked.exited).toBe(1);
    expect(revoked.stdout).toMatch(/7 days.*lectern auth youtube/);
    expect(revoked.stdout + live.stdout).not.toContain(YT_KEY);
  });
});
