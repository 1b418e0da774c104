/// <reference lib="dom" />
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { traces } from '../data-helpers.js';
import { startHarness, until, untilClock, viewer, type Harness } from '../helpers.js';

// The browser as in dashboard.test.ts: Debian's chromium or LECTERN_CHROMIUM; skipped without one
// unless LECTERN_REQUIRE_BROWSER=1.
const TOKEN = 'e2e-forget-token-0123456789abcdefgh';
const CHROMIUM = process.env['LECTERN_CHROMIUM'] || '/usr/bin/chromium';
const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const SKIP = !executable(CHROMIUM) && process.env['LECTERN_REQUIRE_BROWSER'] !== '1';

let browser: Browser;
let h: Harness | undefined;

describe.skipIf(SKIP)("the chat panel's Forget this viewer…", () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('asks first; once confirmed, the viewer leaves the chat, the queue and the database', async () => {
    h = await startHarness({ dashboardToken: TOKEN, extraYaml: 'dashboard: { port: 0 }\n' });
    const x = h;
    const zeb = { login: 'zebulon_q', displayName: 'Zebulon_Q', id: '90017' };
    const page = await browser.newPage();
    await page.goto(`${x.app.dashboard!.url}/?token=${TOKEN}`);
    await page.waitForSelector('#link.state-connected');
    x.sim.chat('teacher', zeb, '!q how does rope scaling extend the context window?');
    x.sim.chat('teacher', viewer('bob'), '!q what is the kv cache for?');
    x.sim.chat('teacher', zeb, 'thanks, that helps');
    await untilClock(x.clock, () => x.app.questions.all().length === 2, 'two questions');
    await page.waitForSelector('.q[data-id="2"]');
    await untilClock(x.clock, () => x.sim.sent.length > 0, 'the acknowledgements');
    await page.waitForSelector('#chat .chat-line.bot');
    await page.waitForFunction(() => [...document.querySelectorAll('#chat .author')].filter((a) => a.textContent === 'Zebulon_Q').length === 2);
    const line = page.locator('#chat .chat-line', { hasText: 'thanks, that helps' });
    await line.hover();
    await page.screenshot({ path: 'test-results/forget.png' });

    // Cancelled: nothing happens.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await line.locator('button.forget').click();
    await until(() => asked.length === 1, 'the confirmation');
    expect(asked[0]).toMatch(/^Forget Zebulon_Q \(Twitch\)\?\n\nThis erases their questions, votes and name from every stream/);
    await new Promise((r) => setTimeout(r, 200));
    expect(x.app.questions.get(1)?.authorName).toBe('Zebulon_Q');

    // Confirmed: erased everywhere; the page follows without a reload.
    page.once('dialog', (d) => void d.accept());
    await line.locator('button.forget').click();
    await page.waitForSelector('#chat-status:not([hidden])');
    expect(await page.textContent('#chat-status')).toBe('Forgot Zebulon_Q: 1 question removed.');
    await page.waitForSelector('.q[data-id="1"]', { state: 'detached' });
    await page.waitForFunction(() => ![...document.querySelectorAll('#chat .author')].some((a) => a.textContent === 'Zebulon_Q'));
    expect(await page.locator('.q[data-id="2"]').count()).toBe(1);
    expect(await page.locator('#chat').textContent()).not.toMatch(/zebulon/i);
    expect(traces(x.config.storage.path, [zeb.id, zeb.login])).toEqual([]);
    // The bot's own lines have no such action.
    expect(await page.locator('#chat .chat-line.bot button.forget').count()).toBe(0);
    await page.close();
  });
});
