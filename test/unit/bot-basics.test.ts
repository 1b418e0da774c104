import { describe, expect, it } from 'vitest';
import { CommandBook, expand, parseComArgs, templateProblem, type CommandStore, type StoredCommand } from '../../src/commands/index.js';
import { ManualClock, type ChatEvent, type ChatModerator, type ModerationResult, type PlatformId } from '../../src/core/index.js';
import { allowedHost, LinkGuard, linkHosts } from '../../src/moderation/index.js';
import { TimerBook, Timers, type StoredTimer, type TimerSpec } from '../../src/timers/index.js';
import { changedPaths } from '../../src/app/index.js';
import { createLogger, createGuard, Health } from '../../src/core/index.js';
import { parseConfig, type Config } from '../../src/config/index.js';
import { checkLinkProtection } from '../../src/cli/doctor-links.js';

const silent = createLogger({ level: 'silent' });

function memoryStore(): CommandStore & { rows: Map<string, StoredCommand>; counts: Map<string, number> } {
  const rows = new Map<string, StoredCommand>();
  const counts = new Map<string, number>();
  return {
    rows,
    counts,
    list: () => [...rows.values()],
    save: (c) => void rows.set(c.name, c),
    remove: (n) => rows.delete(n),
    increment: (n) => {
      counts.set(n, (counts.get(n) ?? 0) + 1);
      return counts.get(n)!;
    },
    count: (n) => counts.get(n) ?? 0,
  };
}

const BUILT_IN = new Set(['help', 'commands', 'q', 'ask', 'permit']);
const book = (store = memoryStore()) => ({ store, book: new CommandBook({ store, clock: new ManualClock(), builtIn: (n) => BUILT_IN.has(n) }) });
const config = {
  name: 'discord',
  response: 'Join: https://discord.example',
  aliases: ['dc'],
  permission: 'everyone' as const,
  globalCooldown: 0,
  userCooldown: 30,
};

describe('command variables', () => {
  const values = {
    user: '@alice',
    count: () => 7,
    uptime: () => '1 h 2 min',
    topic: () => 'Attention',
    notes: () => 'https://n.example/a#b',
    random: () => 0.99,
  };

  it('knows {user} {count} {uptime} {topic} {notes} {random a|b} and nothing else', () => {
    expect(templateProblem('Hi {user}, #{count}, up {uptime}, on {topic}: {notes} {random a | b|c}')).toBeUndefined();
    expect(templateProblem('Hi {name}')).toBe('{name} is not a variable; use {user} {count} {uptime} {topic} {notes} or {random a|b}');
    expect(templateProblem('Hi {<script>}')).toMatch(/^there is an unknown variable/);
    expect(templateProblem('Hi {}')).toMatch(/^there is an unknown variable/);
    expect(templateProblem('{random}')).toMatch(/random a\|b\|c/);
    expect(templateProblem('{random | }')).toMatch(/random a\|b\|c/);
    expect(templateProblem('Hello {user}', { allowUser: false })).toMatch(/nobody to name/);
    // Braces that are not a variable's stay text.
    expect(templateProblem('a { b and } c')).toMatch(/unknown variable/);
    expect(templateProblem('smile :} or :{')).toBeUndefined();
    // A variable left open, or a {random} with an empty choice, is refused rather than sent as written.
    expect(templateProblem('Hello {user')).toBe('{user is not closed: end it with }');
    expect(templateProblem('Pick {random a|b and {count}')).toBe('{random is not closed: end it with }');
    expect(templateProblem('a {random a|} b')).toMatch(/^a choice of \{random …\} is empty/);
  });

  it('expands from the bot’s values only; a random choice is one of those written', () => {
    expect(expand('Hi {user}, #{count}, up {uptime}, on {topic}: {notes} {random a | b|c}', values)).toBe(
      'Hi @alice, #7, up 1 h 2 min, on Attention: https://n.example/a#b c',
    );
    expect(expand('{random x|y}', { ...values, random: () => 0 })).toBe('x');
    expect(expand('left {unknown} alone', values)).toBe('left {unknown} alone');
  });
});

describe('!addcom options', () => {
  it('reads the name, the options right after it, and the response', () => {
    expect(parseComArgs('!lurk -cd=30 -ucd=10 -level=mod -alias=!afk,brb -alias=!away Enjoy -the lurk', '!')).toEqual({
      ok: true,
      input: { name: 'lurk', globalCooldown: 30, userCooldown: 10, permission: 'moderator', aliases: ['afk', 'brb', 'away'], response: 'Enjoy -the lurk' },
    });
    expect(parseComArgs('Lurk', '!')).toEqual({ ok: true, input: { name: 'lurk' } });
    expect(parseComArgs('!lurk -alias=none', '!')).toEqual({ ok: true, input: { name: 'lurk', aliases: [] } });
    expect(parseComArgs('?x -level=sub hi', '?')).toMatchObject({ input: { name: 'x', permission: 'subscriber', response: 'hi' } });
    for (const [arg, message] of [
      ['', /Name the command/],
      ['!x -cd=1e3 hi', /takes whole seconds/],
      ['!x -level=admin hi', /-level= is one of/],
      ['!x -evil=<b> hi', /Unknown option/],
    ] as const) {
      const r = parseComArgs(arg, '!');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(message);
        expect(r.message).not.toMatch(/admin|<b>|1e3/);
      }
    }
  });
});

describe('CommandBook', () => {
  it('adds, edits and deletes; the config file’s commands win and are read-only', () => {
    const { book: b, store } = book();
    b.setConfig([config]);
    expect(b.add({ name: 'lurk', response: 'Enjoy {user} #{count}', aliases: ['afk'] }, 'twitch', 450)).toMatchObject({ ok: true, command: { name: 'lurk' } });
    expect(b.get('afk')?.name).toBe('lurk');
    expect(b.get('dc')?.name).toBe('discord');
    expect(b.add({ name: 'lurk', response: 'again' }, 'twitch', 450)).toMatchObject({ ok: false, code: 'taken' });
    expect(b.add({ name: 'discord', response: 'x' }, 'twitch', 450)).toMatchObject({ ok: false, code: 'read-only' });
    expect(b.add({ name: 'x', response: 'x', aliases: ['dc'] }, 'twitch', 450)).toMatchObject({ ok: false, code: 'read-only' });
    expect(b.add({ name: 'x', response: 'x', aliases: ['afk'] }, 'twitch', 450)).toMatchObject({
      ok: false,
      message: "!afk is already !lurk's name or alias.",
    });
    expect(b.add({ name: 'commands', response: 'x' }, 'twitch', 450)).toMatchObject({ ok: false, code: 'taken' });
    expect(b.add({ name: 'yt', response: 'y'.repeat(151) }, 'youtube', 150)).toMatchObject({ ok: false, code: 'too-long' });
    expect(b.add({ name: 'x', response: '   ' }, 'twitch', 450)).toMatchObject({ ok: false, code: 'invalid' });
    expect(b.add({ name: 'x', response: 'x', globalCooldown: -1 }, 'twitch', 450)).toMatchObject({ ok: false, code: 'invalid' });
    // Never stored to be sent changed: a response that starts as a chat command; an alias twice.
    for (const response of ['/ban {user}', '.timeout someone 10', '\\me waves'])
      expect(b.add({ name: 'x', response }, 'twitch', 450)).toMatchObject({ ok: false, message: expect.stringMatching(/^A response cannot start with/) });
    expect(b.add({ name: 'x', response: 'x', aliases: ['a1', 'a1'] }, 'twitch', 450)).toMatchObject({ ok: false, message: 'An alias is listed twice.' });
    // A built-in cannot be changed or deleted (not "pick another name", which is for adding).
    expect(b.edit({ name: 'commands', response: 'x' }, 'twitch', 450)).toMatchObject({
      ok: false,
      message: '!commands is a built-in command; it cannot be changed or deleted.',
    });
    expect(b.remove('commands')).toMatchObject({ ok: false, message: '!commands is a built-in command; it cannot be changed or deleted.' });
    expect(b.edit({ name: 'lurk', permission: 'vip' }, 'dashboard', 450)).toMatchObject({
      ok: true,
      command: { permission: 'vip', response: 'Enjoy {user} #{count}' },
    });
    expect(b.edit({ name: 'discord', response: 'x' }, 'dashboard', 450)).toMatchObject({ ok: false, code: 'read-only' });
    expect(b.remove('discord')).toMatchObject({ ok: false, code: 'read-only' });
    expect([...store.rows.keys()]).toEqual(['lurk']);
    // A reload that gives the config a command of the same name hides the chat-added one.
    b.setConfig([config, { ...config, name: 'lurk', aliases: [], response: 'config lurk' }]);
    expect(b.views().find((v) => v.source === 'chat')).toMatchObject({ name: 'lurk', hiddenBy: '!lurk' });
    expect(b.text('lurk')).toBe('config lurk');
    b.setConfig([config]);
    expect(b.text('afk')).toBe('Enjoy everyone #0');
    expect(b.remove('lurk')).toMatchObject({ ok: true });
    expect(store.rows.size).toBe(0);
  });

  it('refuses config commands named like a built-in or with an unknown variable', () => {
    const { book: b } = book();
    expect(
      b.configProblems([
        { ...config, name: 'help' },
        { ...config, name: 'x', aliases: ['q'], response: 'Hi {who}' },
      ]),
    ).toEqual([
      { path: 'commands.custom[0].name', message: '"help" is a built-in command; pick another name' },
      { path: 'commands.custom[1].aliases[0]', message: '"q" is a built-in command; pick another name' },
      { path: 'commands.custom[1].response', message: expect.stringContaining('{who} is not a variable') },
    ]);
  });
});

describe('links', () => {
  it('finds links as chat clients show them, not words with dots', () => {
    expect(linkHosts('see https://User@Evil.Example:8080/x and www.foo.co.uk/y, also bar.io.')).toEqual(['evil.example', 'www.foo.co.uk', 'bar.io']);
    expect(linkHosts('node.js, e.g. v1.2.3, i.e. ok; mail me@mail.com; 3.14 is pi; file.py')).toEqual([]);
    expect(linkHosts('ftp://files.example/a')).toEqual(['files.example']);
    expect(allowedHost('www.notes.example', ['notes.example'])).toBe(true);
    expect(allowedHost('gist.github.com', ['github.com'])).toBe(true);
    expect(allowedHost('evilgithub.com', ['github.com'])).toBe(false);
  });

  it('link protection: permits once, tells a viewer once per window, never deletes without the rights', async () => {
    const clock = new ManualClock();
    const health = new Health(clock);
    const deleted: string[] = [];
    let rights: string | undefined;
    const moderator: ChatModerator = {
      platform: 'twitch',
      lacksRights: () => rights,
      deleteMessage: async (e): Promise<ModerationResult> => (deleted.push(e.id), { ok: true }),
    };
    const notices: string[] = [];
    const guard = new LinkGuard({
      settings: () => ({ enabled: true, allowFrom: 'vip', domains: ['notes.example'], noticeMs: 60_000 }),
      moderator: (p: PlatformId) => (p === 'twitch' ? moderator : undefined),
      clock,
      guard: createGuard(silent, health),
      logger: silent,
      health,
      notice: (e, t) => notices.push(`${e.author.login}: ${t}`),
      prefix: () => '!',
    });
    let n = 0;
    const line = (login: string, text: string, roles: ChatEvent['author']['roles'] = [], platform: PlatformId = 'twitch'): ChatEvent => ({
      platform,
      channel: 'teacher',
      id: `m${++n}`,
      kind: 'message',
      author: { id: `u-${login}`, login, displayName: login, roles },
      text,
      time: clock.now(),
    });
    expect(guard.check(line('a', 'https://notes.example/x'))).toBe(false);
    expect(guard.check(line('v', 'https://x.example', ['vip']))).toBe(false);
    expect(guard.check(line('a', 'https://x.example'))).toBe(true);
    expect(guard.check(line('a', 'https://x.example/2'))).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(deleted).toEqual(['m3', 'm4']);
    expect(notices).toEqual(['a: links are not allowed in chat; a moderator can allow one with !permit.']);
    guard.permit('@B');
    expect(guard.check(line('b', 'https://x.example'))).toBe(false);
    expect(guard.check(line('b', 'https://x.example'))).toBe(true);
    guard.permit('c');
    clock.advance(61_000);
    expect(guard.check(line('c', 'https://x.example'))).toBe(true);
    rights = 'Twitch: the bot is not a moderator';
    expect(guard.check(line('d', 'https://x.example'))).toBe(false);
    expect(guard.check(line('e', 'https://x.example', [], 'youtube'))).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(deleted).toEqual(['m3', 'm4', 'm6', 'm7']);
    expect(
      guard
        .actions()
        .filter((a) => a.outcome === 'not-deleted')
        .map((a) => a.detail),
    ).toEqual(['Twitch: the bot is not a moderator', 'youtube: the bot has no way to delete messages there']);
  });
});

describe('timers', () => {
  function setup(specs: TimerSpec[]) {
    const clock = new ManualClock();
    const sent: string[] = [];
    const state = { active: true, canSend: true };
    const timers = new Timers({
      clock,
      guard: createGuard(silent, new Health(clock)),
      logger: silent,
      tickMs: 1000,
      host: {
        active: () => state.active,
        platforms: () => ['twitch', 'youtube'],
        canSend: () => state.canSend,
        send: (p, t) => (sent.push(`${p}: ${t}`), true),
        text: (s) => (s.command === 'gone' ? undefined : (s.message ?? `cmd ${s.command}`)),
      },
    });
    timers.set(specs);
    timers.start();
    return { clock, sent, state, timers };
  }
  const spec = (o: Partial<TimerSpec>): TimerSpec => ({ name: 't', message: 'hello', everyMinutes: 1, minLines: 2, platforms: 'both', enabled: true, ...o });

  it('speaks per platform after its time and enough lines; never while inactive or unable to send', () => {
    const { clock, sent, state, timers } = setup([spec({}), spec({ name: 'yt', message: 'yt only', platforms: 'youtube', minLines: 0 })]);
    clock.advance(59_000);
    timers.line('twitch');
    timers.line('twitch');
    expect(sent).toEqual([]);
    clock.advance(1_000);
    expect(sent).toEqual(['twitch: hello', 'youtube: yt only']);
    state.canSend = false;
    timers.line('twitch');
    timers.line('twitch');
    clock.advance(120_000);
    expect(sent).toHaveLength(2);
    state.canSend = true;
    state.active = false;
    clock.advance(5_000);
    expect(sent).toHaveLength(2);
    state.active = true;
    clock.advance(1_000);
    expect(sent).toEqual(['twitch: hello', 'youtube: yt only', 'twitch: hello', 'youtube: yt only']);
    expect(timers.states().find((s) => s.name === 't' && s.platform === 'twitch')).toMatchObject({ lines: 0, sent: 2 });
  });

  it('a paused timer and one whose command is gone say nothing', () => {
    const { clock, sent, timers } = setup([spec({ enabled: false, minLines: 0 }), spec({ name: 'c', message: undefined, command: 'gone', minLines: 0 })]);
    timers.line('twitch');
    clock.advance(10 * 60_000);
    expect(sent).toEqual([]);
  });

  it('the dashboard’s timers are validated like the config file’s; config timers win and are read-only', () => {
    const rows = new Map<string, StoredTimer>();
    const b = new TimerBook({
      store: { list: () => [...rows.values()], save: (t) => void rows.set(t.name, t), remove: (n) => rows.delete(n) },
      clock: new ManualClock(),
      hasCommand: (n) => n === 'discord',
    });
    b.setConfig([spec({ name: 'cfg' })]);
    expect(b.add({ name: 'cfg', message: 'x' })).toMatchObject({ ok: false, code: 'read-only' });
    expect(b.add({ name: 'a', message: 'Hi {user}' })).toMatchObject({ ok: false, message: expect.stringContaining('nobody to name') });
    expect(b.add({ name: 'a', message: 'x'.repeat(201) })).toMatchObject({ ok: false, message: 'The message has 201 characters; at most 200 fit on YouTube.' });
    expect(b.add({ name: 'a', message: 'x'.repeat(201), platforms: 'twitch' })).toMatchObject({ ok: true });
    expect(b.add({ name: 'b', command: 'nosuch' })).toMatchObject({ ok: false, message: expect.stringContaining('no channel command "nosuch"') });
    expect(b.add({ name: 'b', message: 'x', command: 'discord' })).toMatchObject({ ok: false, message: 'Give the timer either a message or a command.' });
    expect(b.add({ name: 'b', command: 'discord', everyMinutes: 0.1 })).toMatchObject({ ok: false, message: 'Every: 0.25 to 1440 minutes.' });
    expect(b.add({ name: 'b', command: 'discord', everyMinutes: 5 })).toMatchObject({ ok: true, timer: { command: 'discord', minLines: 10 } });
    expect(b.edit({ name: 'b', message: 'now a message' })).toMatchObject({ ok: true, timer: { message: 'now a message' } });
    expect(rows.get('b')?.command).toBeUndefined();
    expect(b.all().map((t) => t.name)).toEqual(['cfg', 'a', 'b']);
    expect(b.remove('a')).toMatchObject({ ok: true });
  });
});

describe('config', () => {
  it('timers and link protection are validated with their paths', () => {
    const r = parseConfig(
      `twitch: { channel: teacher }
timers:
  - { name: a, message: hi, command: discord }
  - { name: b, message: "${'x'.repeat(201)}" }
  - { name: a, command: so, everyMinutes: 0.1 }
moderation: { links: true, allowDomains: ["https://blog.example"], allowLinksFrom: king }
`,
      {},
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path)).toEqual(
        expect.arrayContaining(['timers[0]', 'timers[1].message', 'timers[2].everyMinutes', 'moderation.allowDomains[0]', 'moderation.allowLinksFrom']),
      );
    const twice = parseConfig('twitch: { channel: teacher }\ntimers: [{ name: a, message: x }, { name: A, message: y }]\n', {});
    expect(!twice.ok && twice.problems).toEqual([{ path: 'timers[1].name', message: '"a" is already a timer\'s name' }]);
    const ok = parseConfig('twitch: { channel: teacher }\n', {});
    expect(ok.ok && ok.config.moderation).toEqual({ links: false, allowLinksFrom: 'subscriber', allowDomains: [], noticeMinutes: 5 });
    expect(ok.ok && ok.config.youtube).toBeUndefined();
  });

  it('a reload names the keys that changed, not the secrets', () => {
    expect(changedPaths({ a: { b: 1, c: [1] }, secrets: { x: 1 } }, { a: { b: 2, c: [1, 2] }, d: true, secrets: { x: 2 } })).toEqual(['a.b', 'a.c', 'd']);
    expect(changedPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('doctor', () => {
  const cfg = (yaml: string, env: Record<string, string> = {}): Config => {
    const r = parseConfig(`${yaml}storage: { path: /nonexistent/lectern-doctor/x.db }\nmoderation: { links: true }\n`, env);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.config;
  };
  it('says when link protection cannot delete, and why', () => {
    expect(checkLinkProtection(cfg('twitch: { channel: t }\n'), undefined)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('reads anonymously'),
    });
    const noClient = checkLinkProtection(cfg('twitch: { channel: t, username: bot }\n', { TWITCH_OAUTH_TOKEN: 'x' }), ['moderator']);
    expect(noClient).toMatchObject({ ok: false, detail: expect.stringContaining('set twitch.clientId') });
    const notMod = checkLinkProtection(cfg('twitch: { channel: t, username: bot, clientId: c }\n', { TWITCH_OAUTH_TOKEN: 'x' }), []);
    expect(notMod).toMatchObject({ ok: false, detail: expect.stringContaining('not a moderator of #t; type /mod bot') });
    const fine = checkLinkProtection(cfg('twitch: { channel: t, username: bot, clientId: c }\n', { TWITCH_OAUTH_TOKEN: 'x' }), ['moderator']);
    expect(fine).toMatchObject({ ok: true, detail: expect.stringContaining('TWITCH_OAUTH_TOKEN must carry moderator:manage:chat_messages') });
    const key = checkLinkProtection(cfg('youtube: { videoId: abcdefghijk }\n', { YOUTUBE_API_KEY: 'k' }), undefined);
    expect(key).toMatchObject({ ok: false, detail: expect.stringContaining('not an API key') });
    const off = parseConfig('twitch: { channel: t }\n', {});
    expect(off.ok && checkLinkProtection(off.config, undefined)).toBeUndefined();
  });
});
