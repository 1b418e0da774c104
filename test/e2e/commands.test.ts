/// <reference lib="dom" />
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, untilClock, viewer, type Harness } from '../helpers.js';

const TOKEN = 'e2e-commands-token-0123456789abcdef';
const CHROMIUM = process.env['LECTERN_CHROMIUM'] || '/usr/bin/chromium';
const REQUIRE_BROWSER = process.env['LECTERN_REQUIRE_BROWSER'] === '1';
const HAVE_BROWSER = (() => {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();
// Skipped without a browser, as test/e2e/dashboard.test.ts says (LECTERN_REQUIRE_BROWSER=1 makes it a failure).
const SKIP = !HAVE_BROWSER && !REQUIRE_BROWSER;

let browser: Browser;
let h: Harness | undefined;

describe.skipIf(SKIP)('the Commands view in headless Chromium', () => {
  beforeAll(async () => {
    if (!HAVE_BROWSER) throw new Error(`LECTERN_REQUIRE_BROWSER=1 but ${CHROMIUM} is not an executable`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lists config commands read-only and chat-added ones live; adds, edits and deletes with the same refusals as chat; timers; config problems', async () => {
    h = await startHarness({
      dashboardToken: TOKEN,
      extraYaml: `dashboard: { port: 0 }
commands:
  custom:
    - { name: discord, response: "Join us: https://discord.example/x", userCooldown: 30 }
`,
    });
    const x = h;
    const dash = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    dash.setDefaultTimeout(5_000);
    // Every dialog is kept: a viewer's text must never raise one (an alert), and a delete asks first.
    const dialogs: string[] = [];
    let acceptConfirm = false;
    dash.on('dialog', (d) => void (dialogs.push(`${d.type()}: ${d.message()}`), d.type() === 'confirm' && acceptConfirm ? d.accept() : d.dismiss()));
    await dash.goto(`${x.app.dashboard!.url}/?token=${TOKEN}`);
    await dash.waitForSelector('#link.state-connected');
    const discord = await dash.waitForSelector('#c-list li[data-name="discord"]');
    expect(await discord.textContent()).toContain('from the config file (read-only)');
    expect(await discord.$('button')).toBeNull();
    expect(await dash.textContent('#l-status')).toContain('Off');

    // A moderator adds one in chat: it shows at once.
    x.sim.chat('teacher', viewer('modmarta', { moderator: '1' }), '!addcom !lurk -ucd=10 Enjoy the lurk, {user}!');
    await untilClock(x.clock, () => x.sim.sent.length === 1, 'the moderator answered');
    const lurk = await dash.waitForSelector('#c-list li[data-name="lurk"]');
    expect(await lurk.textContent()).toContain('added from twitch');

    // The form: the server's refusals, word for word, and nothing stored.
    const add = async (name: string, response: string) => {
      await dash.fill('#c-name', name);
      await dash.fill('#c-response', response);
      await dash.click('#c-submit');
    };
    await add('<b>x</b>', 'hi');
    await dash.waitForSelector('#c-error:not([hidden]) >> text=A command name is 1 to 32 letters');
    await add('hello', 'Hi {nope}');
    await dash.waitForSelector('#c-error:not([hidden]) >> text={nope} is not a variable');
    await add('discord', 'mine now');
    await dash.waitForSelector('#c-error:not([hidden]) >> text=!discord comes from the config file');
    expect(
      x.app
        .storeForReading()
        .commands.list()
        .map((c) => c.name),
    ).toEqual(['lurk']);
    await add('hello', '<img src=x onerror=alert(1)> Hello {user}');
    const hello = await dash.waitForSelector('#c-list li[data-name="hello"]');
    expect(await dash.$('#c-list img')).toBeNull();
    expect(await hello.textContent()).toContain('<img src=x onerror=alert(1)> Hello {user}');
    await dash.waitForSelector('#c-error', { state: 'hidden' });
    x.sim.chat('teacher', viewer('alice'), '!hello');
    await untilClock(x.clock, () => x.sim.sent.some((m) => m.text.endsWith('Hello @alice')), 'a viewer uses it');

    // Edit: the form fills in; Save changes it.
    await dash.click('#c-list li[data-name="lurk"] >> text=Edit');
    expect(await dash.inputValue('#c-response')).toBe('Enjoy the lurk, {user}!');
    await dash.fill('#c-response', 'See you later, {user}.');
    await dash.click('#c-submit');
    await dash.waitForSelector('#c-list li[data-name="lurk"] >> text=See you later, {user}.');
    // Delete asks first: declined, the command stays; accepted, it goes and the toast says so.
    await dash.click('#c-list li[data-name="hello"] >> text=Delete');
    await dash.waitForTimeout(300);
    expect(await dash.$('#c-list li[data-name="hello"]')).not.toBeNull();
    acceptConfirm = true;
    await dash.click('#c-list li[data-name="hello"] >> text=Delete');
    await dash.waitForSelector('#c-list li[data-name="hello"]', { state: 'detached' });
    await dash.waitForSelector('#toast:not([hidden]) >> text=!hello deleted.');
    expect(await dash.isHidden('#toast-undo')).toBe(true);
    expect(
      x.app
        .storeForReading()
        .commands.list()
        .map((c) => [c.name, c.response]),
    ).toEqual([['lurk', 'See you later, {user}.']]);

    // Timers.
    await dash.fill('#t-name', 'ask');
    await dash.fill('#t-text', 'Ask with !q');
    await dash.fill('#t-every', '10');
    await dash.fill('#t-lines', '5');
    await dash.click('#t-form button[type="submit"]');
    const ask = await dash.waitForSelector('#t-list li[data-timer="ask"]');
    expect(await ask.textContent()).toContain('every 10 min after 5 chat lines');
    expect(await ask.textContent()).toContain('added from the dashboard');
    // Under a minute reads in seconds; one line is a line.
    await dash.fill('#t-name', 'quick');
    await dash.fill('#t-text', 'Quick one');
    await dash.fill('#t-every', '0.25');
    await dash.fill('#t-lines', '1');
    await dash.click('#t-form button[type="submit"]');
    expect(await (await dash.waitForSelector('#t-list li[data-timer="quick"]')).textContent()).toContain('every 15 s after 1 chat line ·');
    await dash.click('#t-list li[data-timer="quick"] >> text=Delete');
    await dash.waitForSelector('#t-list li[data-timer="quick"]', { state: 'detached' });
    await dash.fill('#t-name', 'bad');
    await dash.selectOption('#t-kind', 'command');
    await dash.fill('#t-text', 'nosuch');
    await dash.click('#t-form button[type="submit"]');
    await dash.waitForSelector('#t-error:not([hidden]) >> text=There is no channel command "nosuch"');
    await dash.click('#t-list li[data-timer="ask"] >> text=Pause');
    await dash.waitForSelector('#t-list li[data-timer="ask"] >> text=Resume');
    // Edit: the form fills in with the timer's settings; Save changes them, the name stays.
    await dash.click('#t-list li[data-timer="ask"] >> text=Edit');
    expect(await dash.inputValue('#t-text')).toBe('Ask with !q');
    expect(await dash.inputValue('#t-every')).toBe('10');
    expect(await dash.getAttribute('#t-name', 'readonly')).not.toBeNull();
    await dash.fill('#t-every', '20');
    await dash.fill('#t-text', 'Ask your questions with !q');
    await dash.click('#t-submit');
    await dash.waitForSelector('#t-list li[data-timer="ask"] >> text=every 20 min after 5 chat lines');
    expect(await dash.textContent('#t-list li[data-timer="ask"]')).toContain('Ask your questions with !q');
    expect(await dash.textContent('#t-submit')).toBe('Add timer');

    // A refused config edit is shown, with every problem.
    x.app.rejectConfig([{ path: 'commands.custom[0].name', message: '"help" is a built-in command; pick another name' }]);
    await dash.waitForSelector('#config-problems:not([hidden]) >> text=commands.custom[0].name');
    expect(dialogs).toEqual([
      'confirm: Delete !hello? Chat can no longer use it; adding it again starts its count from zero.',
      'confirm: Delete !hello? Chat can no longer use it; adding it again starts its count from zero.',
      'confirm: Delete the timer quick? It stops at once.',
    ]);
    await dash.close();
  });
});
