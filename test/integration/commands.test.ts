import { afterEach, describe, expect, it } from 'vitest';
import { advance, startHarness, tempDir, untilClock, viewer, type Harness } from '../helpers.js';

let h: Harness | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  cleanups.splice(0).forEach((c) => c());
});

const CONFIG = `commands:
  custom:
    - name: discord
      response: "Join us: https://discord.example/lectern"
knowledge:
  links:
    - { title: "Discord", url: "https://discord.example/lectern" }
`;

const mod = viewer('modmarta', { moderator: '1' });

/** What the bot sent, from the n-th message on. */
const sentFrom = (x: Harness, n: number) => x.sim.sent.slice(n).map((m) => m.text);

/** Sends a line and waits for the bot's next message; returns its text. */
async function ask(x: Harness, user: ReturnType<typeof viewer>, text: string): Promise<string> {
  const before = x.sim.sent.length;
  x.sim.chat('teacher', user, text);
  await untilClock(x.clock, () => x.sim.sent.length > before, `an answer to ${text.slice(0, 30)}`);
  // Identical texts are never sent twice within 30 s: the next test line starts fresh.
  await advance(x.clock, 1100);
  return x.sim.sent[before]!.text;
}

describe('commands added from chat (real tmi.js against the simulator)', () => {
  it('a moderator adds a command with options; a viewer uses it, also after a restart; {count} counts', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    h = await startHarness({ dir, extraYaml: CONFIG });
    expect(await ask(h, mod, '!addcom !lurk -ucd=30 -alias=!afk Enjoy the lurk, {user}! Lurker number {count}.')).toBe('@modmarta Added !lurk.');
    expect(await ask(h, viewer('alice'), '!lurk')).toBe('@alice Enjoy the lurk, @alice! Lurker number 1.');
    expect(await ask(h, viewer('bob'), '!AFK')).toBe('@bob Enjoy the lurk, @bob! Lurker number 2.');
    // Its per-viewer cooldown holds alice back (silently); moderators are never held back.
    const before = h.sim.sent.length;
    h.sim.chat('teacher', viewer('alice'), '!lurk');
    await advance(h.clock, 3000);
    expect(h.sim.sent.length).toBe(before);
    // !help lists it for everyone; !commands too.
    expect(await ask(h, viewer('carol'), '!commands')).toContain('!lurk');
    await h.close();

    h = await startHarness({ dir, extraYaml: CONFIG });
    expect(await ask(h, viewer('dave'), '!lurk')).toBe('@dave Enjoy the lurk, @dave! Lurker number 3.');
    expect(await ask(h, mod, '!editcom !lurk -level=sub See you later, {user}.')).toBe('@modmarta Updated !lurk.');
    const n = h.sim.sent.length;
    h.sim.chat('teacher', viewer('erin'), '!lurk');
    await advance(h.clock, 2000);
    expect(h.sim.sent.length).toBe(n);
    expect(await ask(h, viewer('frank', { subscriber: '1' }), '!lurk')).toBe('@frank See you later, @frank.');
    expect(await ask(h, mod, '!delcom !lurk')).toBe('@modmarta Deleted !lurk.');
    const m = h.sim.sent.length;
    h.sim.chat('teacher', viewer('frank', { subscriber: '1' }), '!lurk');
    await advance(h.clock, 2000);
    expect(h.sim.sent.length).toBe(m);
    expect(h.app.storeForReading().commands.list()).toEqual([]);
  });

  it('viewers cannot add, edit or delete commands: ignored silently', async () => {
    h = await startHarness({ extraYaml: CONFIG });
    for (const t of ['!addcom !free hello', '!editcom !discord x', '!delcom !discord']) h.sim.chat('teacher', viewer('mallory'), t);
    await advance(h.clock, 3000);
    expect(h.sim.sent).toEqual([]);
    expect(h.app.storeForReading().commands.list()).toEqual([]);
  });

  it('bad input gets a clear reply to the moderator, never the words it refuses, and nothing is stored', async () => {
    h = await startHarness({ extraYaml: CONFIG });
    const cases: Array<[string, RegExp]> = [
      ['!addcom !b@d<script> hi', /A command name is 1 to 32 letters, digits, _ \+ or -\./],
      ['!addcom !empty', /Write the response after the name\./],
      ['!addcom !x Hello {nonsense}', /\{nonsense\} is not a variable; use \{user\} \{count\} \{uptime\} \{topic\} \{notes\} or \{random a\|b\}/],
      ['!addcom !x Hello {<img src=x>}', /there is an unknown variable/],
      ['!addcom !x Hello {random}', /write \{random a\|b\|c\}/],
      [`!addcom !long ${'word '.repeat(100)}`, /The response has 499 characters; at most 450 fit here\./],
      // Longer than a chat line Lectern reads: the count of what was cut would be wrong, so none is given.
      [`!addcom !huge ${'y'.repeat(10_000)}`, /^@\w+ The response is longer than a chat line Lectern reads \(2,000 characters\); at most 450 fit here\.$/],
      ['!addcom !ban /ban {user}', /A response cannot start with \/ \. or \\ \(chat would read it as a command\): start it with a word\./],
      ['!addcom !x Hello {user', /\{user is not closed: end it with \}/],
      ['!editcom !help other words', /!help is a built-in command; it cannot be changed or deleted\./],
      ['!addcom !help my own help', /!help is a built-in command; pick another name\./],
      ['!addcom !discord another', /!discord comes from the config file; change it there\./],
      ['!addcom !x -cd=soon hi', /-cd= takes whole seconds/],
      ['!addcom !x -level=king hi', /-level= is one of everyone, sub, vip, mod or broadcaster/],
      ['!addcom !x -colour=red hi', /Unknown option/],
      ['!addcom !x -alias=!q hi', /Alias: !q is a built-in command/],
      ['!editcom !nothere hi', /There is no chat-added !nothere to change\./],
      ['!delcom !nothere', /There is no chat-added !nothere to delete\./],
    ];
    for (const [line, expected] of cases) {
      const answer = await ask(h, mod, line);
      expect(answer, line).toMatch(expected);
      expect(answer).not.toMatch(/<script>|<img|colour|king|soon/);
    }
    expect(h.app.storeForReading().commands.list()).toEqual([]);
  });

  it('{uptime}, {topic}, {notes} and {random} come from the bot, never from the viewer', async () => {
    h = await startHarness({
      extraYaml: `knowledge:
  notes:
    - dir: ${JSON.stringify(new URL('../fixtures/notes', import.meta.url).pathname)}
      baseUrl: https://notes.example/
`,
    });
    await ask(h, mod, '!topic set Attention');
    expect(await ask(h, mod, '!addcom !today Now: {topic}; notes {notes}; up {uptime}; {random yes|yes}')).toBe('@modmarta Added !today.');
    const answer = await ask(h, viewer('alice'), '!today {user} <b>injected</b> {topic}');
    expect(answer).toMatch(/^@alice Now: Attention; notes https:\/\/notes\.example\/\S+; up \d+ (s|min); yes$/);
    expect(answer).not.toContain('injected');
    expect(sentFrom(h, 0).join(' ')).not.toContain('<b>');
  });

  it('the dashboard’s API: the same validation, 400 / 404 / 409 with the sentence, and the command live at once', async () => {
    const token = 'commands-api-token-0123456789abcdef0123';
    h = await startHarness({ dashboardToken: token, extraYaml: `${CONFIG}dashboard: { port: 0 }\n` });
    const base = h.app.dashboard!.url;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = async (path: string, body: unknown, status: number, message: RegExp) => {
      const r = await post(path, body);
      expect(r.status, path).toBe(status);
      expect(((await r.json()) as { message: string }).message).toMatch(message);
    };
    await refused('/api/commands', { name: 'x', response: 'Hi {who}' }, 400, /\{who\} is not a variable/);
    await refused('/api/commands', { name: 'x', response: 'y'.repeat(451) }, 400, /at most 450 fit here/);
    await refused('/api/commands', { name: 'discord', response: 'mine' }, 409, /comes from the config file/);
    await refused('/api/commands', { name: 'help', response: 'mine' }, 409, /built-in command/);
    await refused('/api/commands/nothere', { response: 'x' }, 404, /no chat-added !nothere/);
    await refused('/api/timers', { name: 't', command: 'nothere' }, 400, /no channel command "nothere"/);
    const added = await post('/api/commands', { name: 'lurk', response: 'Enjoy, {user}!', userCooldown: 5 });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ name: 'lurk', source: 'chat', updatedBy: 'dashboard', userCooldown: 5 });
    expect(await ask(h, viewer('alice'), '!lurk')).toBe('@alice Enjoy, @alice!');
    expect((await post('/api/timers', { name: 'ask', message: 'Ask with !q', everyMinutes: 10, minLines: 5 })).status).toBe(200);
    const view = (await (await fetch(`${base}/api/bot`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      commands: Array<{ name: string; source: string }>;
      timers: Array<{ name: string }>;
      moderation: { enabled: boolean };
    };
    expect(view.commands.map((c) => `${c.name} ${c.source}`)).toEqual(['discord config', 'lurk chat']);
    expect(view.timers.map((t) => t.name)).toEqual(['ask']);
    expect(view.moderation.enabled).toBe(false);
    expect((await post('/api/commands/lurk/delete', {})).status).toBe(200);
    expect(h.app.storeForReading().commands.list()).toEqual([]);
  });
});
