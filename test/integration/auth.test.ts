import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/index.js';
import { TokenStore } from '../../src/auth/index.js';
import { ManualClock } from '../../src/core/index.js';
import { authTwitch, authYouTube } from '../../src/cli/auth.js';
import { checkAccounts } from '../../src/cli/doctor.js';
import type { Io } from '../../src/cli/io.js';
import { TwitchAuthSim, TwitchSim, YouTubeSim } from '../../src/sim/index.js';
import { memoryLogger, mustParse, stopOnClock, tempDir, untilClock, viewer, YT_KEY } from '../helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function io(): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { env: {}, out: (l) => outLines.push(l), err: (l) => errLines.push(l), isTty: false, errIsTty: false, outLines, errLines };
}

async function twitchWorld(clock?: ManualClock) {
  const authSim = new TwitchAuthSim({ clientId: 'lectern-app', login: 'lecternbot', ...(clock ? { clock } : {}) });
  await authSim.start();
  const irc = new TwitchSim({ isValidToken: (t) => authSim.isValid(t), ...(clock ? { clock } : {}) });
  const port = await irc.start();
  const { dir, cleanup } = tempDir();
  cleanups.push(
    cleanup,
    () => irc.stop(),
    () => authSim.stop(),
  );
  const e = authSim.endpoints;
  const yaml = `twitch:
  channel: teacher
  username: lecternbot
  server: { host: 127.0.0.1, port: ${port}, secure: false }
  reconnect: { initialSeconds: 0.1, maxSeconds: 1 }
  auth: { clientId: lectern-app, deviceUrl: ${e.deviceUrl}, tokenUrl: ${e.tokenUrl}, validateUrl: ${e.validateUrl} }
storage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }
`;
  const configPath = join(dir, 'lectern.yaml');
  writeFileSync(configPath, yaml);
  return { authSim, irc, dir, yaml, configPath, store: new TokenStore(join(dir, 'tokens.json')) };
}

describe('lectern auth', () => {
  it('twitch: Device Code Flow end to end; tokens stored 0600; doctor-safe description', async () => {
    const w = await twitchWorld();
    const out = io();
    let polls = 0;
    const code = await authTwitch(w.configPath, out, {
      sleep: async () => {
        polls++;
        // The streamer enters the code after the first poll.
        if (polls === 2) w.authSim.approve(/enter the code (\w+)/.exec(out.errLines.join('\n'))![1]!);
      },
    });
    expect(code).toBe(0);
    expect(out.errLines[0]).toMatch(/open https:\/\/www\.twitch\.tv\/activate.* enter the code [0-9A-F]{8}/);
    expect(out.outLines[0]).toBe('Linked Twitch account lecternbot with scopes chat:read chat:edit.');
    const stored = w.store.get('twitch')!;
    expect(stored).toMatchObject({ login: 'lecternbot', scopes: ['chat:read', 'chat:edit'] });
    expect(w.authSim.isValid(stored.accessToken!)).toBe(true);
    expect(statSync(w.store.path).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(w.store.describe())).not.toContain(stored.accessToken!);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(out.errLines.some((l) => l.startsWith('Note:'))).toBe(false);
  });

  it('twitch: another account than twitch.username is linked with a loud note, and doctor fails its accounts check', async () => {
    const w = await twitchWorld();
    const yaml = w.yaml.replace('username: lecternbot', 'username: teachbot');
    writeFileSync(w.configPath, yaml);
    const out = io();
    let polls = 0;
    const code = await authTwitch(w.configPath, out, {
      sleep: async () => {
        if (++polls === 2) w.authSim.approve(/enter the code (\w+)/.exec(out.errLines.join('\n'))![1]!);
      },
    });
    expect(code).toBe(0);
    expect(out.errLines).toContain(
      'Note: twitch.username is teachbot, but the account linked is lecternbot: the bot will speak as lecternbot. If that is not the bot account, log in as teachbot and run `lectern auth twitch` again (or set twitch.username: lecternbot).',
    );
    const check = checkAccounts(mustParse(yaml), Date.now())!;
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('the bot speaks as lecternbot, not twitch.username teachbot: run `lectern auth twitch` logged in as teachbot');
  });

  it('twitch: with link protection on, the scope to delete messages is asked for', async () => {
    const w = await twitchWorld();
    writeFileSync(w.configPath, `${w.yaml}moderation: { links: true }\n`);
    const out = io();
    const code = await authTwitch(w.configPath, out, {
      sleep: async () => void w.authSim.approve(/enter the code (\w+)/.exec(out.errLines.join('\n'))![1]!),
    });
    expect(code).toBe(0);
    expect(w.store.get('twitch')!.scopes).toEqual(['chat:read', 'chat:edit', 'moderator:manage:chat_messages']);
  });

  it('twitch: with only twitch.clientId, says to add twitch.auth with that id (start uses a linked account only then)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const configPath = join(dir, 'lectern.yaml');
    writeFileSync(
      configPath,
      `twitch: { channel: teacher, username: lecternbot, clientId: my-app }\nstorage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }\n`,
    );
    const out = io();
    expect(await authTwitch(configPath, out)).toBe(2);
    expect(out.errLines.join('\n')).toContain('add "auth: { clientId: my-app }" under twitch');
    expect(out.errLines.join('\n')).not.toContain('set twitch.auth.clientId');
  });

  it('youtube: loopback redirect with PKCE and state, refresh token stored', async () => {
    const yt = new YouTubeSim({ apiKeys: [YT_KEY] });
    await yt.start();
    cleanups.push(() => yt.stop());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const configPath = join(dir, 'lectern.yaml');
    writeFileSync(
      configPath,
      `youtube:\n  videoId: vid-live-01\n  apiRoot: ${yt.rootUrl}\n  oauth: { tokenUrl: ${yt.rootUrl}token, authorizeUrl: ${yt.rootUrl}o/oauth2/v2/auth }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`,
    );
    const out = { ...io(), env: { YOUTUBE_CLIENT_ID: 'desktop-client', YOUTUBE_CLIENT_SECRET: 'desktop-secret' } };
    let opened = '';
    const code = await authYouTube(configPath, out, { readOnly: false, open: (url) => void fetch((opened = url)) });
    expect(code).toBe(0);
    const u = new URL(opened);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(u.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/youtube.force-ssl');
    expect(u.searchParams.get('state')!.length).toBeGreaterThan(15);
    const stored = new TokenStore(join(dir, 'tokens.json')).get('youtube')!;
    expect(stored.refreshToken).toBe(yt.issuedRefresh[0]);
    expect(out.outLines[0]).toMatch(/7 days/);
    // A redirect carrying a wrong state is refused by the loopback server.
    let forged = 0;
    const open = (url: string) => {
      const redirect = new URL(url).searchParams.get('redirect_uri')!;
      void fetch(`${redirect}?code=x&state=forged`).then((bad) => {
        forged = bad.status;
        void fetch(url);
      });
    };
    expect(await authYouTube(configPath, out, { readOnly: true, open })).toBe(0);
    expect(forged).toBe(400);
  });
});

describe('token lifecycle during a stream', () => {
  async function linkedApp(clock: ManualClock) {
    const w = await twitchWorld(clock);
    const g = w.authSim.issue(['chat:read', 'chat:edit']);
    w.store.set('twitch', { accessToken: g.access, refreshToken: g.refresh, expiresAt: g.expiresAt, scopes: g.scopes, obtainedAt: clock.now() });
    const { logger, lines } = memoryLogger();
    const app = new App({ config: mustParse(w.yaml), logger, clock, random: () => 0.5 });
    await app.start();
    cleanups.push(() => stopOnClock(app, clock));
    return { ...w, app, lines };
  }

  it('a token expiring mid-stream is refreshed and the bot keeps answering', async () => {
    const clock = new ManualClock(Date.now());
    const w = await linkedApp(clock);
    w.irc.chat('teacher', viewer('alice'), '!help');
    await untilClock(clock, () => w.irc.sent.length === 1, 'first answer');
    w.authSim.expireAccessTokens();
    w.irc.dropConnections();
    await untilClock(clock, () => w.app.statuses()[0]!.state === 'connected' && w.irc.joined('teacher') === 1, 'reconnected with a fresh token', 10_000);
    expect(w.authSim.calls.filter((c) => c === 'POST /oauth2/token').length).toBeGreaterThanOrEqual(1);
    expect(w.app.statuses()[0]!.canSend).toBe(true);
    w.irc.chat('teacher', viewer('bob'), '!help');
    await untilClock(clock, () => w.irc.sent.some((m) => m.text.startsWith('@bob')), 'answer after refresh');
    expect(w.authSim.isValid(w.store.get('twitch')!.accessToken!)).toBe(true);
    for (const l of w.lines) expect(l).not.toContain(w.store.get('twitch')!.accessToken!);
  });

  it('a revoked refresh token: a clear error naming the fix, and the bot keeps reading anonymously', async () => {
    const clock = new ManualClock(Date.now());
    const w = await linkedApp(clock);
    w.authSim.revokeRefreshTokens();
    w.authSim.expireAccessTokens();
    w.irc.dropConnections();
    await untilClock(clock, () => w.app.statuses()[0]!.state === 'connected' && w.irc.joined('teacher') === 1, 'reading again', 10_000);
    const s = w.app.statuses()[0]!;
    expect(s.canSend).toBe(false);
    expect(s.detail).toMatch(/lectern auth twitch/);
    expect(w.app.health.list().find((p) => p.component === 'twitch.auth')?.message).toMatch(/lectern auth twitch/);
    w.irc.chat('teacher', viewer('carol'), '!q does it still read?');
    await untilClock(clock, () => w.app.questions.all().length === 1, 'question still logged');
    expect(w.lines.some((l) => l.includes('run `lectern auth twitch` again'))).toBe(true);
  });

  it('youtube: a revoked refresh token falls back to the API key, read-only, with the 7-day hint', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 17, 0));
    const yt = new YouTubeSim({ clock, apiKeys: [YT_KEY], refreshTokens: ['1//r'], streamHoldMs: 60_000 });
    await yt.start();
    yt.addVideo('vid-live-01', 'chat-live-01');
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup, () => yt.stop());
    const config = mustParse(
      `youtube:\n  videoId: vid-live-01\n  apiRoot: ${yt.rootUrl}\n  transport: poll\n  oauth: { tokenUrl: ${yt.rootUrl}token }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`,
      {
        YOUTUBE_CLIENT_ID: 'c',
        YOUTUBE_CLIENT_SECRET: 's',
        YOUTUBE_REFRESH_TOKEN: '1//r',
        YOUTUBE_API_KEY: YT_KEY,
      },
    );
    yt.revoked.add('1//r');
    const app = new App({ config, logger: memoryLogger().logger, clock, random: () => 0.5 });
    await app.start();
    cleanups.push(() => stopOnClock(app, clock));
    await untilClock(clock, () => app.statuses()[0]!.state === 'connected', 'reading with the key', 10_000, 500);
    yt.post('chat-live-01', { channelId: 'UC-a', displayName: '@a' }, '!help');
    await untilClock(clock, () => app.bot.stats.processed === 1, 'read', 10_000, 500);
    expect(app.statuses()[0]).toMatchObject({ canSend: false, detail: expect.stringMatching(/7 days.*YOUTUBE_API_KEY, read-only/s) });
    expect(yt.inserted).toEqual([]);
    void readFileSync;
  });
});
