import { describe, expect, it } from 'vitest';
import { credentialProblems, parseConfig } from '../../src/config/index.js';

/** The file's problems, then (if the file is fine) the secrets it needs from the environment. */
const problems = (yaml: string, env: Record<string, string> = {}) => {
  const r = parseConfig(yaml, env);
  return r.ok ? credentialProblems(r.config) : r.problems;
};

describe('config', () => {
  it('accepts a config with only twitch and fills the documented defaults', () => {
    const r = parseConfig('twitch:\n  channel: "#Teacher"\n', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.twitch).toMatchObject({ channel: 'teacher', server: { host: 'irc-ws.chat.twitch.tv', port: 443, secure: true } });
    expect(r.config.storage.path).toBe('./data/lectern.db');
    expect(r.config.commands.prefix).toBe('!');
    expect(r.config.twitch?.username).toBeUndefined();
  });

  it("takes relative paths from the config file's folder, not from where the command runs", () => {
    const text =
      'twitch: { channel: somechannel }\nknowledge: { notes: [{ dir: ./notes, baseUrl: "https://example.com/n" }, { dir: /srv/notes, baseUrl: "https://example.com/m" }] }\n';
    const r = parseConfig(text, {}, '/home/me/stream/lectern.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.storage.path).toBe('/home/me/stream/data/lectern.db');
    expect(r.config.knowledge.notes.map((n) => n.dir)).toEqual(['/home/me/stream/notes', '/srv/notes']);
    // Text that is no file (tests, the demo) keeps its paths as written.
    const inline = parseConfig(text, {});
    expect(inline.ok && inline.config.storage.path).toBe('./data/lectern.db');
  });

  it('reads JSON as well as YAML', () => {
    const r = parseConfig('{"twitch": {"channel": "teacher", "server": {"host": "127.0.0.1", "port": 6667, "secure": false}}}', {});
    expect(r.ok && r.config.twitch?.server).toEqual({ host: '127.0.0.1', port: 6667, secure: false });
  });

  it('is frozen all the way down', () => {
    const r = parseConfig('twitch: { channel: teacher }\ncommands: { custom: [{ name: a, response: b }] }', {});
    if (!r.ok) throw new Error('expected ok');
    expect(Object.isFrozen(r.config)).toBe(true);
    expect(Object.isFrozen(r.config.commands.custom[0])).toBe(true);
    expect(() => ((r.config.twitch as { channel: string }).channel = 'x')).toThrow();
  });

  it('reports every problem at once, with its key path and what was expected', () => {
    const p = problems(`
twitch:
  channel: "not a login!"
  server: { port: "80", sekure: true }
storage: { path: 3 }
commands:
  prefix: ""
  custom:
    - { name: hi, response: hello, permission: admin, userCooldown: -1 }
    - { name: hi, response: again }
unknownTop: 1
`);
    const byPath = Object.fromEntries(p.map((x) => [x.path, x.message]));
    expect(byPath['twitch.channel']).toMatch(/Twitch login/);
    expect(byPath['twitch.server.port']).toBe('expected a number, got the string "80"');
    expect(byPath['twitch.server.sekure']).toBe('unknown key; did you mean "secure"?');
    expect(byPath['storage.path']).toBe('expected a string, got the number 3');
    expect(byPath['commands.prefix']).toMatch(/at least 1|1 to 3 characters/);
    expect(byPath['commands.custom[0].permission']).toMatch(/"everyone", "subscriber", "vip", "moderator", "broadcaster"/);
    expect(byPath['commands.custom[0].userCooldown']).toMatch(/at least 0/);
    expect(byPath['unknownTop']).toBe('unknown key');
    expect(p.length).toBeGreaterThanOrEqual(8);
  });

  it('reports duplicate command names and aliases', () => {
    const p = problems('twitch: { channel: t }\ncommands: { custom: [{ name: a, response: x, aliases: [b] }, { name: b, response: y }] }');
    expect(p).toEqual([{ path: 'commands.custom[1].name', message: '"b" is already used by commands.custom[0].aliases[0]' }]);
  });

  it('requires a platform section', () => {
    expect(problems('storage: { path: x.db }')).toEqual([
      { path: 'twitch', message: 'expected at least one platform section (twitch or youtube), or knowledge to search' },
    ]);
    expect(problems('')).toEqual([{ path: 'twitch', message: 'expected at least one platform section (twitch or youtube), or knowledge to search' }]);
  });

  it('names the missing secret when a username is set, and takes it only from the environment', () => {
    expect(problems('twitch: { channel: t, username: bot }')).toEqual([expect.objectContaining({ path: 'TWITCH_OAUTH_TOKEN' })]);
    const r = parseConfig('twitch: { channel: t, username: bot }', { TWITCH_OAUTH_TOKEN: 'oauth:abcdef123456' });
    expect(r.ok && r.config.secrets.twitchToken).toBe('abcdef123456');
    expect(problems('twitch: { channel: t, token: abc }')).toEqual([
      { path: 'twitch.token', message: 'unknown key: secrets are never read from the config file; set TWITCH_OAUTH_TOKEN (or run `lectern auth twitch`)' },
    ]);
    expect(problems('twitch: { channel: t }\nyoutube: { videoId: abcdefghijk, apiKey: x }')).toContainEqual({
      path: 'youtube.apiKey',
      message:
        'unknown key: secrets are never read from the config file; set YOUTUBE_API_KEY, or YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET with `lectern auth youtube`',
    });
    // A URL that is not one says what was expected and what it got.
    expect(problems('twitch: { channel: t }\nknowledge: { notes: [{ dir: ./n, baseUrl: "notes/here" }] }')).toContainEqual({
      path: 'knowledge.notes[0].baseUrl',
      message: 'expected an absolute URL such as https://example.com/notes/, got the string "notes/here"',
    });
  });

  it('reports broken YAML with its line and column instead of throwing', () => {
    const p = problems('twitch:\n  channel: teacher\n  server: [unclosed\n');
    expect(p[0]!.path).toMatch(/^\(file\) line \d+, column \d+$/);
    expect(p[0]!.message).toMatch(/not valid YAML/);
    expect(problems('a: 1\na: 2')[0]).toMatchObject({ path: '(file) line 2, column 1', message: expect.stringMatching(/not valid YAML/) });
  });

  it('suggests the closest known key for a typo, at any depth', () => {
    expect(problems('twitch: { chanel: teacher }')).toContainEqual({ path: 'twitch.chanel', message: 'unknown key; did you mean "channel"?' });
    expect(problems('twitch: { channel: t }\ncommands: { custom: [{ name: a, respnse: b }] }')).toContainEqual({
      path: 'commands.custom[0].respnse',
      message: 'unknown key; did you mean "response"?',
    });
    expect(problems('twitch: { channel: t }\ndashbaord: { port: 1 }')).toContainEqual({ path: 'dashbaord', message: 'unknown key; did you mean "dashboard"?' });
    expect(problems('twitch: { channel: t, zzzzzz: 1 }')).toContainEqual({ path: 'twitch.zzzzzz', message: 'unknown key' });
  });

  it('reading a config never needs a secret; connecting names each one missing', () => {
    const r = parseConfig('twitch: { channel: t, username: bot }\nyoutube: { videoId: dQw4w9WgXcQ }', {});
    expect(r.ok).toBe(true);
    if (r.ok) expect(credentialProblems(r.config).map((p) => p.path)).toEqual(['TWITCH_OAUTH_TOKEN', 'YOUTUBE_API_KEY']);
  });
});

describe('youtube config', () => {
  it('accepts a config with only youtube and fills the quota defaults', () => {
    const r = parseConfig('youtube: { videoId: dQw4w9WgXcQ }', { YOUTUBE_API_KEY: 'k' });
    expect(r.ok && r.config.youtube).toMatchObject({
      transport: 'auto',
      plannedStreamHours: 4,
      quota: { dailyUnits: 10_000, costs: { list: 5, stream: 5, insert: 20, videos: 1 } },
    });
  });

  it('needs exactly one chat source and credentials from the environment', () => {
    expect(problems('youtube: { videoId: dQw4w9WgXcQ, liveChatId: abcdefghijkl }', { YOUTUBE_API_KEY: 'k' })).toEqual([
      { path: 'youtube', message: 'expected exactly one of channelId, videoId, liveChatId or broadcast: mine' },
    ]);
    expect(problems('youtube: { videoId: dQw4w9WgXcQ }').map((p) => p.path)).toEqual(['YOUTUBE_API_KEY']);
    expect(problems('youtube: { videoId: dQw4w9WgXcQ }', { YOUTUBE_CLIENT_ID: 'a' }).map((p) => p.path)).toEqual(['YOUTUBE_CLIENT_ID', 'YOUTUBE_API_KEY']);
    expect(problems('youtube: { broadcast: mine }', { YOUTUBE_API_KEY: 'k' }).map((p) => p.path)).toEqual(['youtube.broadcast']);
    expect(problems('youtube: { videoId: dQw4w9WgXcQ, transport: carrier-pigeon }', { YOUTUBE_API_KEY: 'k' })[0]).toMatchObject({ path: 'youtube.transport' });
  });
});

describe('config/lectern.example.yaml', () => {
  it('is valid and documents every top-level section', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../config/lectern.example.yaml', import.meta.url), 'utf8');
    const r = parseConfig(text, { TWITCH_OAUTH_TOKEN: 'abcdef123456', YOUTUBE_API_KEY: 'AIza-example' });
    expect(r.ok).toBe(true);
    for (const key of ['twitch', 'youtube', 'knowledge', 'topic', 'dashboard', 'storage', 'stream', 'questions', 'commands', 'outbox', 'log'])
      expect(text).toMatch(new RegExp(`^${key}:`, 'm'));
  });
});

describe('youtube sources a streamer pastes', () => {
  it('takes a video id or any address of the video', async () => {
    const { videoIdFrom } = await import('../../src/config/schema.js');
    for (const v of [
      'dQw4w9WgXcQ',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
      'https://youtu.be/dQw4w9WgXcQ?si=abc',
      'https://www.youtube.com/live/dQw4w9WgXcQ?feature=share',
      'https://studio.youtube.com/video/dQw4w9WgXcQ/livestreaming',
      'm.youtube.com/watch?v=dQw4w9WgXcQ',
    ])
      expect(videoIdFrom(v), v).toBe('dQw4w9WgXcQ');
    expect(videoIdFrom('https://example.com/watch?v=dQw4w9WgXcQ')).toBeUndefined();
    const r = parseConfig('youtube: { videoId: "https://youtu.be/dQw4w9WgXcQ" }', {});
    expect(r.ok && r.config.youtube?.videoId).toBe('dQw4w9WgXcQ');
    expect(problems('youtube: { videoId: "https://example.com/x" }', { YOUTUBE_API_KEY: 'k' })[0]).toMatchObject({
      path: 'youtube.videoId',
      message: expect.stringMatching(/address/),
    });
  });

  it('takes a channel by id or handle', () => {
    expect(parseConfig('youtube: { channelId: "@ada.lovelace" }', {}).ok).toBe(true);
    expect(parseConfig('youtube: { channelId: UCabcdefghijklmnopqrstuv }', {}).ok).toBe(true);
    expect(problems('youtube: { channelId: "ada lovelace" }')[0]).toMatchObject({ path: 'youtube.channelId' });
  });
});
