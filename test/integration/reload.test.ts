import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchSim } from '../../src/sim/index.js';
import { lectern } from '../cli-helpers.js';
import {
  advance,
  mustParse,
  startHarness,
  startYouTubeHarness,
  tempDir,
  TOKEN,
  until,
  untilClock,
  viewer,
  type Harness,
  type YouTubeHarness,
} from '../helpers.js';

let h: Harness | undefined;
let y: YouTubeHarness | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await h?.close();
  await y?.close();
  h = undefined;
  y = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The harness's config with other sections after `storage`. */
const withSections = (x: Harness, sections: string) => {
  const twitch = `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${x.sim.port}, secure: false }\n  reconnect: { initialSeconds: 0.1, maxSeconds: 2 }\n`;
  return mustParse(`${twitch}storage: { path: ${JSON.stringify(x.config.storage.path)} }\n${sections}`, { TWITCH_OAUTH_TOKEN: TOKEN });
};

async function answer(x: Harness, user: ReturnType<typeof viewer>, text: string): Promise<string> {
  const before = x.sim.sent.length;
  x.sim.chat('teacher', user, text);
  await untilClock(x.clock, () => x.sim.sent.length > before, `an answer to ${text}`);
  await advance(x.clock, 1100);
  return x.sim.sent[before]!.text;
}

const FIRST = `commands:
  custom:
    - { name: discord, response: "Discord: https://discord.example/a" }
questions: { maxLength: 300 }
`;

describe('config changes without a restart', () => {
  it('applies commands, cooldowns, questions, knowledge and link protection at once, and says what changed', async () => {
    h = await startHarness({ extraYaml: FIRST });
    const x = h;
    expect(await answer(x, viewer('alice'), '!discord')).toBe('@alice Discord: https://discord.example/a');
    const report = await x.app.reload(
      withSections(
        x,
        `commands:
  custom:
    - { name: discord, response: "Discord moved: https://discord.example/b" }
    - { name: lurk, response: "Enjoy, {user}!", userCooldown: 60 }
  floodLimit: { count: 2, perSeconds: 30 }
questions: { maxLength: 40 }
knowledge:
  links:
    - { title: "Rotary embeddings explained", url: "https://rope.example/", tags: [rope] }
moderation: { links: true }
outbox: { maxQueue: 50 }
`,
      ),
    );
    expect(report).toMatchObject({ ok: true, reconnected: [], restart: ['outbox.maxQueue'] });
    expect(report.changed).toEqual(
      expect.arrayContaining([
        'commands.custom',
        'commands.floodLimit.count',
        'commands.floodLimit.perSeconds',
        'questions.maxLength',
        'knowledge.links',
        'moderation.links',
      ]),
    );
    expect(await answer(x, viewer('bob'), '!discord')).toBe('@bob Discord moved: https://discord.example/b');
    expect(await answer(x, viewer('carol'), '!lurk')).toBe('@carol Enjoy, @carol!');
    expect(await answer(x, viewer('dave'), '!q why does rotary position embedding rotate pairs of dimensions at all?')).toBe(
      '@dave Questions can be at most 40 characters; try a shorter one.',
    );
    expect(await answer(x, viewer('erin'), '!links rotary')).toContain('https://rope.example/');
    expect(x.app.config.moderation.links).toBe(true);
    expect(x.logLines.some((l) => l.includes('"msg":"config reloaded"') && l.includes('questions.maxLength'))).toBe(true);
    expect(x.app.configState).toMatchObject({ problems: [], restart: ['outbox.maxQueue'] });
  });

  it('a broken edit is refused: the running config stays, every problem is logged and kept for the dashboard', async () => {
    h = await startHarness({ extraYaml: FIRST });
    const x = h;
    const report = await x.app.reload(
      withSections(
        x,
        `commands:
  custom:
    - { name: help, response: "mine" }
    - { name: hello, response: "Hi {whoever}" }
timers:
  - { name: t, command: nosuch }
`,
      ),
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.path)).toEqual(['commands.custom[0].name', 'commands.custom[1].response', 'timers[0]']);
    expect(x.app.configState.problems).toHaveLength(3);
    expect(x.app.health.list().find((p) => p.component === 'config')?.code).toBe('CONFIG_INVALID');
    expect(x.logLines.filter((l) => l.includes('config edit refused'))).toHaveLength(3);
    // Still running, with the old commands.
    expect(await answer(x, viewer('alice'), '!discord')).toBe('@alice Discord: https://discord.example/a');
    expect(await answer(x, viewer('bob'), '!help help')).toBe('@bob !help [command]: lists the commands, or explains one');
    // The file fixed: the refusal leaves the health list, and the log says the file is valid again.
    expect((await x.app.reload(x.app.config)).ok).toBe(true);
    expect(x.app.health.list().find((p) => p.component === 'config')).toBeUndefined();
    expect(x.app.configState.problems).toEqual([]);
    expect(x.logLines.some((l) => l.includes('the config file is valid again'))).toBe(true);
  });

  it('a platform whose settings changed reconnects; the other keeps running', async () => {
    y = await startYouTubeHarness({ withTwitch: true });
    const x = y;
    await untilClock(x.clock, () => x.app.statuses().every((s) => s.state === 'connected'), 'connected', 5000, 500);
    const youtube = x.app.platforms.find((p) => p.id === 'youtube');
    const accepted = x.twitch!.connectionsAccepted;
    const c = x.app.config;
    // A connection problem from before: it leaves the health list once Twitch connects again.
    x.app.health.report('twitch', new Error('connection lost'));
    const report = await x.app.reload({ ...c, twitch: { ...c.twitch!, joinTimeoutSeconds: 20 } });
    expect(report).toMatchObject({ ok: true, changed: ['twitch.joinTimeoutSeconds'], reconnected: ['twitch'] });
    await untilClock(x.clock, () => !x.app.health.list().some((p) => p.component === 'twitch'), 'the problem resolved', 5000, 500);
    expect(x.twitch!.connectionsAccepted).toBe(accepted + 1);
    expect(x.app.platforms.find((p) => p.id === 'youtube')).toBe(youtube);
    await untilClock(x.clock, () => x.app.statuses().every((s) => s.state === 'connected'), 'connected again', 5000, 500);
    x.twitch!.chat('teacher', viewer('alice'), '!help');
    await untilClock(x.clock, () => x.twitch!.sent.length === 1, 'an answer from the new connection', 5000, 200);
  });

  it('through the CLI: an edited file applies, a broken one is refused while the bot keeps answering, SIGHUP reads it again', async () => {
    const sim = new TwitchSim({ validTokens: [TOKEN] });
    const port = await sim.start();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup, () => sim.stop());
    const file = join(dir, 'lectern.yaml');
    const base = `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${port}, secure: false }\nstorage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }\ndashboard: { enabled: false }\n`;
    writeFileSync(file, `${base}commands:\n  custom:\n    - { name: discord, response: "Discord A" }\n`);
    const p = lectern(['start', '--config', file], { TWITCH_OAUTH_TOKEN: TOKEN });
    cleanups.push(async () => {
      p.kill('SIGTERM');
      await p.exited;
    });
    await until(() => p.stdout.includes('lectern is running'), 'running', 10_000);
    const ask = async (text: string, expected: string) => {
      const before = sim.sent.length;
      sim.chat('teacher', viewer(`v${before}`), text);
      await until(() => sim.sent.slice(before).some((m) => m.text.endsWith(expected)), `"${expected}"`, 10_000);
    };
    await ask('!discord', 'Discord A');

    writeFileSync(file, `${base}commands:\n  custom:\n    - { name: discord, response: "Discord B" }\n    - { name: lurk, response: "Lurk on" }\n`);
    await until(() => p.stdout.includes('"msg":"config reloaded"'), 'the reload', 10_000);
    await ask('!lurk', 'Lurk on');

    writeFileSync(file, `${base}commands:\n  custom: [ { name: discord, response: "Discord C" }\n  prefix: 5\n`);
    await until(() => p.stdout.includes('config edit refused'), 'the refusal', 10_000);
    expect(p.stdout).toMatch(/config edit refused: \(file\) line \d+, column \d+: not valid YAML/);
    await ask('!discord', 'Discord B');

    writeFileSync(file, `${base}commands:\n  prefix: "?"\n  custom:\n    - { name: discord, response: "Discord D" }\n`);
    await until(() => (p.stdout.match(/"msg":"config reloaded"/g) ?? []).length === 2, 'the second reload', 10_000);
    await ask('?discord', 'Discord D');
    // SIGHUP reads the file again (unchanged here: nothing to apply, and it says so).
    p.kill('SIGHUP');
    await until(() => p.stdout.includes('nothing changed'), 'SIGHUP', 10_000);
    p.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);
});
