/// <reference lib="dom" />
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, until, viewer, type Harness } from '../helpers.js';
import { LecternError } from '../../src/core/index.js';

const TOKEN = 'e2e-dashboard-token-0123456789abcdef';
const SHOTS = fileURLToPath(new URL('../../test-results', import.meta.url));
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Debian's chromium (apt-get install chromium; .ci/run installs it), or LECTERN_CHROMIUM=/path.
// Without it these tests are skipped with one warning, so `npm install` then `npm test` works on
// a fresh machine; LECTERN_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser a failure.
const CHROMIUM = process.env['LECTERN_CHROMIUM'] || '/usr/bin/chromium';
const REQUIRE_BROWSER = process.env['LECTERN_REQUIRE_BROWSER'] === '1';
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
const HAVE_BROWSER = executable(CHROMIUM);
const SKIP = !HAVE_BROWSER && !REQUIRE_BROWSER;
if (SKIP) {
  console.warn(
    `e2e dashboard tests SKIPPED: ${CHROMIUM} not found; install it with \`apt-get install -y chromium\` to run them (or point LECTERN_CHROMIUM at a Chromium; LECTERN_REQUIRE_BROWSER=1 makes this a failure)`,
  );
}

let browser: Browser;
let h: Harness | undefined;

/** Waits for an asynchronous condition (a page's state). */
async function poll(cond: () => Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function harness(): Promise<{ x: Harness; base: string }> {
  h = await startHarness({ dashboardToken: TOKEN, extraYaml: 'dashboard: { port: 0 }\n' });
  return { x: h, base: h.app.dashboard!.url };
}

describe.skipIf(SKIP)('dashboard and overlay in headless Chromium', () => {
  beforeAll(async () => {
    if (!HAVE_BROWSER) {
      throw new Error(
        `LECTERN_REQUIRE_BROWSER=1 but ${CHROMIUM} is not an executable: install it with \`apt-get install -y chromium\` or set LECTERN_CHROMIUM`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('needs the token: 401 without it; ?token= logs in with an HttpOnly cookie and leaves the URL', async () => {
    const { base } = await harness();
    expect((await fetch(`${base}/api/state`)).status).toBe(401);
    expect((await fetch(`${base}/api/state`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const page = await browser.newPage();
    const denied = await page.goto(`${base}/`);
    expect(denied!.status()).toBe(401);
    await page.goto(`${base}/?token=${TOKEN}`);
    expect(page.url()).toBe(`${base}/`);
    await page.waitForSelector('#link.state-connected');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'lectern_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The cookie is a session id, never the token.
    expect(session!.value).not.toContain(TOKEN);
    expect(session!.value.length).toBeGreaterThanOrEqual(40);
    await page.close();
  });

  it('another page on 127.0.0.1 (another port) cannot act on a logged-in session', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    const context = await browser.newContext();
    const dash = await context.newPage();
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('.q[data-id="1"]');
    // A local page of another program: same site for the browser (same host, another port).
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><body>
<form id="f" method="POST" action="${base}/api/questions/1/dismiss" enctype="text/plain"><input name="x" value="y"></form>
<script>
  fetch('${base}/api/questions/1/answer', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' })
    .catch(() => {}).finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
</script></body>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const attacker = await context.newPage();
      const evilPort = (evil.address() as { port: number }).port;
      const posted = attacker.waitForResponse((r) => r.url().includes('/api/questions/1/dismiss'));
      await attacker.goto(`http://127.0.0.1:${evilPort}/`);
      expect((await posted).status()).toBe(403);
      await new Promise((r) => setTimeout(r, 200));
      expect(x.app.questions.get(1)?.state).toBe('open');
      await attacker.close();
    } finally {
      evil.close();
    }
    // The dashboard's own page still acts.
    await dash.click('.q[data-id="1"] button.answer');
    await dash.waitForSelector('.q.q-answered[data-id="1"]');
    await context.close();
  });

  it('shows a question typed in chat live; answering it on the dashboard updates the overlay in a second page', async () => {
    const { x, base } = await harness();
    const dash = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('#link.state-connected');
    const overlay = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // The overlay has its own read-only key (shown on the dashboard), never the dashboard token.
    const overlayUrl = await dash.inputValue('#overlay-url');
    expect(overlayUrl).toBe(x.app.dashboard!.overlayUrl);
    expect(overlayUrl).not.toContain(TOKEN);
    await overlay.goto(`${overlayUrl}&position=bottom-left&theme=dark`);
    const key = new URL(overlayUrl).searchParams.get('key')!;
    expect((await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await fetch(`${base}/overlay?key=wrong`)).status).toBe(401);

    x.sim.chat('teacher', viewer('alice', { moderator: '1' }), '!topic set Attention and softmax');
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    x.sim.chat('teacher', viewer('carol'), 'anyone else loving this stream?');
    await dash.waitForSelector('.q[data-id="1"] .q-text');
    expect(await dash.textContent('.q[data-id="1"] .q-text')).toBe('why is softmax needed in attention?');
    await dash.waitForSelector('#topic >> text=Attention and softmax');
    await dash.waitForSelector('.chat-line >> text=anyone else loving this stream?');

    await dash.click('.q[data-id="1"] button.highlight');
    await overlay.waitForSelector('#o-question:not([hidden])');
    expect(await overlay.textContent('#o-text')).toBe('why is softmax needed in attention?');
    expect(await overlay.textContent('#o-topic')).toBe('Attention and softmax');
    await dash.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });
    await overlay.screenshot({ path: `${SHOTS}/overlay.png`, omitBackground: true });

    await dash.click('.q[data-id="1"] button.answer');
    await overlay.waitForSelector('#o-question[hidden]', { state: 'attached' });
    await dash.waitForSelector('.q.q-answered[data-id="1"]');
    expect(x.app.questions.get(1)).toMatchObject({ state: 'answered', highlighted: false });

    // The keyboard works too: select, then d dismisses.
    x.sim.chat('teacher', viewer('dave'), '!q what learning rate do you use?');
    await dash.waitForSelector('.q[data-id="2"]');
    await dash.keyboard.press('k');
    await dash.keyboard.press('d');
    await dash.waitForSelector('.q.q-dismissed[data-id="2"]');
    await dash.close();
    await overlay.close();
  });

  it('renders XSS payloads typed as questions and chat as inert text', async () => {
    const { x, base } = await harness();
    const page = await browser.newPage();
    await page.goto(`${base}/?token=${TOKEN}`);
    await page.waitForSelector('#link.state-connected');
    const payloads = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', '"><svg onload=window.__pwned=3>'];
    payloads.forEach((p, i) => x.sim.chat('teacher', viewer(`x${i}`), `!q ${p}`));
    await page.waitForSelector('.q[data-id="3"]');
    const texts = await page.$$eval('.q .q-text', (els) => els.map((e) => e.textContent));
    expect(texts.sort()).toEqual([...payloads].sort());
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.$$('#questions img, #questions script, #questions svg, #chat img, #chat svg')).toHaveLength(0);
    const csp = (await fetch(`${base}/healthz`)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.close();
  });

  it('the Backlog view: items live, answer by a post or on stream, dismiss and reopen, filters, the topic chart, viewer text inert', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('alice', { moderator: '1' }), '!topic set Attention');
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    x.sim.chat('teacher', viewer('carol'), '!q what learning rate do you use? <img src=x onerror="document.title=1">');
    await until(() => x.app.questions.all().length === 2, 'two questions');
    const dash = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dash.setDefaultTimeout(5_000);
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('#link.state-connected');
    await dash.waitForSelector('#b-items .b-item[data-id="2"]');
    expect(await dash.textContent('#b-items .b-item[data-id="2"] .q-text')).toBe('what learning rate do you use? <img src=x onerror="document.title=1">');
    expect(await dash.locator('#b-items img').count()).toBe(0);
    expect(await dash.textContent('#b-count')).toBe('2');
    expect(await dash.locator('#b-chart svg rect.c-bar').count()).toBe(1);

    // A new question joins the backlog on its own (placed in a batch two seconds later; the page is told within two more).
    x.sim.chat('teacher', viewer('dave'), '!q how does dropout work?');
    await until(() => x.app.questions.all().length === 3, 'third question');
    x.clock.advance(5_000);
    await dash.waitForSelector('#b-items .b-item[data-id="3"]');

    await dash.click('#b-items .b-item[data-id="2"] button >> text=Answered live');
    await dash.waitForSelector('#b-items .b-item[data-id="2"]', { state: 'detached' });
    // Its question in this stream is answered in the live queue too.
    await dash.waitForSelector('.q.q-answered[data-id="2"]');
    await dash.fill('#b-items .b-item[data-id="1"] input[type=url]', 'https://blog.example/softmax');
    await dash.click('#b-items .b-item[data-id="1"] button >> text=Answered by post');
    await dash.waitForSelector('#b-items .b-item[data-id="1"]', { state: 'detached' });
    expect(x.app.backlog.backlog.get(1)!.answeredBy).toEqual({ url: 'https://blog.example/softmax', title: 'https://blog.example/softmax' });
    // Dismiss says so, and Undo brings the item back.
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Dismiss');
    await dash.waitForSelector('#b-items .b-item[data-id="3"]', { state: 'detached' });
    await dash.waitForSelector('#toast:not([hidden]) >> text=Backlog #3 dismissed.');
    await dash.click('#toast-undo');
    await dash.waitForSelector('#b-items .b-item-open[data-id="3"]');
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Dismiss');
    await dash.waitForSelector('#b-items .b-item[data-id="3"]', { state: 'detached' });
    expect(await dash.textContent('#b-count')).toBe('0');

    await dash.selectOption('#b-state', 'all');
    await dash.waitForSelector('#b-items .b-item-answered[data-id="1"] a[href="https://blog.example/softmax"]');
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Reopen');
    await dash.waitForSelector('#b-items .b-item-open[data-id="3"]');
    await dash.selectOption('#b-state', 'open');
    await dash.selectOption('#b-topic', 'Attention');
    await dash.waitForSelector('#b-items .b-item[data-id="3"]');
    await dash.screenshot({ path: `${SHOTS}/backlog.png`, fullPage: true });
    // The list is drawn again on every live change: what the streamer is typing stays, cursor included.
    await dash.fill('#b-items .b-item[data-id="3"] input[type=url]', 'https://blog.example/dro');
    await dash.evaluate(() => {
      (document.querySelector('#b-items .b-item[data-id="3"]') as HTMLElement).dataset.old = '1';
    });
    x.sim.chat('teacher', viewer('erin'), '!q what is label smoothing for?');
    await until(() => x.app.questions.all().length === 4, 'fourth question');
    x.clock.advance(5_000);
    await dash.waitForSelector('#b-items .b-item[data-id="3"]:not([data-old])');
    expect(await dash.inputValue('#b-items .b-item[data-id="3"] input[type=url]')).toBe('https://blog.example/dro');
    expect(await dash.evaluate(() => (document.activeElement as HTMLInputElement | null)?.getAttribute('aria-label'))).toBe('Post that answers backlog item 3');
    // A URL that is not a web page is refused with a message, and nothing changes.
    await dash.fill('#b-items .b-item[data-id="3"] input[type=url]', 'javascript:alert(1)');
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Answered by post');
    await dash.waitForSelector('#backlog-error:not([hidden])');
    expect(x.app.backlog.backlog.get(3)!.state).toBe('open');
    // No URL at all, or a merge into an item that does not exist: a sentence, not a status code.
    await dash.fill('#b-items .b-item[data-id="3"] input[type=url]', '');
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Answered by post');
    await dash.waitForSelector('#backlog-error:not([hidden]) >> text=Paste the address of the post that answers #3 first.');
    await dash.fill('#b-items .b-item[data-id="3"] input[type=number]', '999');
    await dash.click('#b-items .b-item[data-id="3"] button >> text=Merge');
    await dash.waitForSelector('#backlog-error:not([hidden]) >> text=Backlog #3 was not merged into #999');
    expect(await dash.textContent('#backlog-error')).not.toMatch(/\(404\)/);
    await dash.close();
  });

  it('live use: distinct states with Undo, a stable selection, clamped chat newest at the bottom, the bot marked, words for votes, one time scale', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('alice', { moderator: '1' }), '!topic set Attention');
    for (const [who, q] of [
      ['bob', 'why is softmax needed?'],
      ['carol', 'what learning rate do you use?'],
      ['dave', 'how does dropout work?'],
    ] as const)
      x.sim.chat('teacher', viewer(who), `!q ${q}`);
    await until(() => x.app.questions.all().length === 3, 'three questions');
    x.sim.chat('teacher', viewer('erin'), '!up 1');
    x.sim.chat('teacher', viewer('spam'), `long ${'word '.repeat(2_000)}`);
    const dash = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dash.setDefaultTimeout(5_000);
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('#link.state-connected');
    await dash.waitForSelector('.q[data-id="3"]');
    await until(() => x.app.questions.get(1)?.votes === 1, 'the vote');
    await dash.waitForSelector('.q[data-id="1"] .q-meta >> text=1 vote');
    expect(await dash.textContent('.q[data-id="1"] .q-meta')).toMatch(/^score 2 · 1 asker · 1 vote · bob \(twitch\) · 0:0\d$/);
    expect(await dash.getAttribute('.q[data-id="1"] .q-meta time', 'title')).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    // The timeline counts from the stream's start too; the clock time is on hover.
    expect(await dash.textContent('#timeline li')).toMatch(/^0:0\d · Attention$/);
    expect(await dash.getAttribute('#timeline li', 'title')).toMatch(/\d{1,2}:\d{2}:\d{2}( [AP]M)? · set by command/);

    // j selects #1 (the best); a answers it; the selection moves to the next open question, and d dismisses that one.
    await dash.keyboard.press('j');
    await dash.waitForSelector('.q.selected[data-id="1"]');
    await dash.keyboard.press('a');
    await dash.waitForSelector('.q.q-answered[data-id="1"] .q-state >> text=Answered');
    await dash.waitForSelector('.q.selected[data-id="2"]');
    await dash.waitForSelector('#toast:not([hidden]) >> text=#1 marked answered.');
    await dash.keyboard.press('d');
    await dash.waitForSelector('.q.q-dismissed[data-id="2"] .q-state >> text=Dismissed');
    expect(x.app.questions.get(2)!.state).toBe('dismissed');
    expect(x.app.questions.get(3)!.state).toBe('open');
    await dash.waitForSelector('.q.selected[data-id="3"]');
    // Answered and dismissed look different, and closed questions offer Reopen instead of Answered.
    const look = (id: number) => dash.$eval(`.q[data-id="${id}"] .q-state`, (e) => getComputedStyle(e).backgroundColor);
    expect(await look(1)).not.toBe(await look(2));
    expect(await dash.locator('.q[data-id="1"] button.answer').count()).toBe(0);
    // Undo from the toast reopens the last one; Reopen on a row reopens that one.
    await dash.click('#toast-undo');
    await dash.waitForSelector('.q.q-open[data-id="2"]');
    await dash.click('.q[data-id="1"] button.reopen');
    await dash.waitForSelector('.q.q-open[data-id="1"]');
    expect(x.app.questions.all().map((q) => q.state)).toEqual(['open', 'open', 'open']);

    // Chat: newest at the bottom, the 10,000-character line clamped until clicked, the bot's replies marked.
    const lines = await dash.$$eval('#chat .chat-line .text', (els) => els.map((e) => e.textContent));
    expect(lines.at(-1)).toMatch(/^long word/);
    expect(lines.indexOf('!q why is softmax needed?')).toBeLessThan(lines.indexOf('!q how does dropout work?'));
    const long = dash.locator('#chat .chat-line.clamped');
    expect((await long.boundingBox())!.height).toBeLessThan(120);
    await long.locator('button.more').click();
    expect((await dash.locator('#chat .chat-line:has(button.more)').boundingBox())!.height).toBeGreaterThan(300);
    await dash.waitForSelector('#chat .chat-line.bot .bot-tag >> text=bot');
    expect(await dash.textContent('#chat .chat-line.bot .text')).toMatch(/noted as #1|\+1 on #1|Topic is now/);
    // Scrolled up, new lines do not pull the streamer down; a button says they are there.
    await dash.$eval('#chat', (e) => {
      e.scrollTop = 0;
    });
    for (let i = 0; i < 40; i++) x.sim.chat('teacher', viewer(`v${i}`), `line ${i}`);
    await dash.waitForSelector('#chat .chat-line >> text=line 39');
    expect(await dash.$eval('#chat', (e) => e.scrollTop)).toBe(0);
    await dash.waitForSelector('#chat-more:not([hidden])');
    await dash.click('#chat-more');
    // Hidden means hidden (its class's display does not bring it back).
    expect(await dash.isVisible('#chat-more')).toBe(false);
    expect(await dash.$eval('#chat', (e) => e.scrollHeight - e.scrollTop - e.clientHeight)).toBeLessThan(40);
    for (let i = 40; i < 45; i++) x.sim.chat('teacher', viewer(`v${i}`), `line ${i}`);
    await dash.waitForSelector('#chat .chat-line >> text=line 44');
    expect(await dash.$eval('#chat', (e) => e.scrollHeight - e.scrollTop - e.clientHeight)).toBeLessThan(40);
    await dash.screenshot({ path: `${SHOTS}/dashboard-desktop.png` });
    // The overlay's address copies with one click.
    await dash.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await dash.click('#overlay-copy');
    await dash.waitForSelector('#overlay-copy >> text=Copied');
    expect(await dash.evaluate(() => navigator.clipboard.readText())).toBe(await dash.inputValue('#overlay-url'));
    expect(await dash.inputValue('#overlay-url')).toMatch(/\/overlay\?key=/);
    // A problem reads as words, its code on hover.
    x.app.health.report('knowledge', new LecternError('INTERNAL', 'Notes folder /srv/notes cannot be read'));
    await dash.waitForSelector('#health .badge.problem >> text=knowledge: Notes folder /srv/notes cannot be read');
    expect(await dash.getAttribute('#health .badge.problem .problem-text', 'title')).toBe('Notes folder /srv/notes cannot be read (INTERNAL)');
    // A click (a tap) shows the whole sentence; × sets it aside, in the service too.
    await dash.click('#health .badge.problem .problem-text');
    await dash.waitForSelector('#health .badge.problem.expanded');
    await dash.click('#health .badge.problem .problem-dismiss');
    await dash.waitForSelector('#health .badge.problem', { state: 'detached' });
    expect(x.app.health.list().some((p) => p.component === 'knowledge')).toBe(false);
    // A problem that ends (the component works again) leaves the page by itself.
    x.app.health.report('twitch.send', new LecternError('PLATFORM_SEND_FAILED', 'Twitch did not take the message'));
    await dash.waitForSelector('#health .badge.problem >> text=twitch.send');
    x.app.health.resolve('twitch.send');
    await dash.waitForSelector('#health .badge.problem', { state: 'detached' });
    await dash.close();
  });

  it('an action that does not happen says so: a signed-out page, an empty topic; statuses stay current without a reload', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    await until(() => x.app.questions.all().length === 1, 'a question');
    const dash = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dash.setDefaultTimeout(8_000);
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('.q[data-id="1"] button.answer');
    // An empty topic is not sent, and the page says what to do.
    await dash.fill('#topic-input', '   ');
    await dash.click('#topic-form button[type=submit]');
    await dash.waitForSelector('#notice:not([hidden]) >> text=Type what you are explaining first');
    await dash.click('#notice-close');
    // A status that changes without a change of state (here: the bot may no longer speak) reaches an open page.
    const twitch = x.app.platforms.find((p) => p.id === 'twitch')!;
    const before = await dash.textContent('#health [data-platform="twitch"]');
    expect(before).not.toContain('read-only');
    const status = twitch.status.bind(twitch);
    twitch.status = () => ({ ...status(), canSend: false });
    await dash.waitForSelector('#health [data-platform="twitch"] >> text=(read-only)', { timeout: 8_000 });
    twitch.status = status;
    // Signed out (the session cookie gone): the click is not lost silently.
    await dash.context().clearCookies();
    await dash.click('.q[data-id="1"] button.answer');
    await dash.waitForSelector("#notice:not([hidden]) >> text=#1 was not marked answered: this page's sign-in has ended");
    expect(x.app.questions.get(1)!.state).toBe('open');
    await dash.close();
  });

  it('a proposed topic shows on the dashboard; Switch sets it, Not now sets it aside', async () => {
    const { x, base } = await harness();
    const dash = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dash.setDefaultTimeout(5_000);
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('#link.state-connected');
    x.app.bus.emit('topic-suggestion', { title: 'Training › Dropout', reason: '3 questions in 5 minutes are about it' });
    await dash.waitForSelector('#suggestion:not([hidden]) >> text=Training › Dropout');
    expect(await dash.textContent('#suggestion-reason')).toBe('(3 questions in 5 minutes are about it)');
    await dash.click('#suggestion-switch');
    await dash.waitForSelector('#topic >> text=Training › Dropout');
    expect(x.app.topics.current()).toMatchObject({ title: 'Training › Dropout', source: 'dashboard' });
    await dash.waitForSelector('#suggestion', { state: 'hidden' });
    x.app.bus.emit('topic-suggestion', { title: 'Softmax', reason: 'the Twitch stream title' });
    await dash.waitForSelector('#suggestion:not([hidden]) >> text=Softmax');
    await dash.click('#suggestion-dismiss');
    await dash.waitForSelector('#suggestion', { state: 'hidden' });
    expect(x.app.topicSuggestion).toBeNull();
    expect(x.app.topics.current()!.title).toBe('Training › Dropout');
    await dash.close();
  });

  it('phone: touch targets of at least 44 px and no keyboard hints', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    await until(() => x.app.questions.all().length === 1, 'a question');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const phone = await context.newPage();
    phone.setDefaultTimeout(5_000);
    await phone.goto(`${base}/?token=${TOKEN}`);
    await phone.waitForSelector('.q[data-id="1"] button.answer');
    const small = await phone.$$eval('button:not([hidden]), select, input:not([readonly])', (els) =>
      els
        .filter((e) => e.getBoundingClientRect().width > 0 && !e.closest('[hidden]'))
        .map((e) => ({ what: e.id || e.className || e.textContent, h: e.getBoundingClientRect().height }))
        .filter((b) => b.h < 44),
    );
    expect(small).toEqual([]);
    // Nothing wider than the screen (the Backlog's forms included); the header scrolls away.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await phone.$eval('header', (e) => getComputedStyle(e).position)).toBe('static');
    expect(await phone.isVisible('.keys')).toBe(false);
    expect(await phone.getAttribute('#topic-input', 'placeholder')).not.toContain('(t)');
    await phone.screenshot({ path: `${SHOTS}/dashboard-phone.png`, fullPage: true });
    await context.close();
  });

  it('overlay: readable over a dark and a light scene (contrast at least 4.5:1), with its URL options', async () => {
    const { x, base } = await harness();
    x.sim.chat('teacher', viewer('alice', { moderator: '1' }), '!topic set Attention and softmax');
    x.sim.chat('teacher', viewer('bob'), '!q why do we divide by sqrt(d_k) before the softmax?');
    await until(() => x.app.questions.all().length === 1, 'a question');
    x.app.questions.highlight(1);
    const overlayUrl = x.app.dashboard!.overlayUrl;
    /** The worst contrast of the card's texts against the card blended over the scene's colour. */
    const worst = (scene: [number, number, number]) => async (page: import('playwright-core').Page) =>
      page.evaluate((sc) => {
        const rgba = (css: string) => {
          const n = (css.match(/[\d.]+/g) ?? []).map(Number);
          return [n[0]!, n[1]!, n[2]!, n[3] ?? 1] as const;
        };
        const lum = ([r, g, b]: readonly number[]) => {
          const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const ratio = (a: readonly number[], b: readonly number[]) => {
          const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
          return (x! + 0.05) / (y! + 0.05);
        };
        const [r, g, b, a] = rgba(getComputedStyle(document.getElementById('card')!).backgroundColor);
        const bg = [r * a + sc[0] * (1 - a), g * a + sc[1] * (1 - a), b * a + sc[2] * (1 - a)];
        const texts = ['o-topic', 'o-number', 'o-text', 'o-meta']
          .map((id) => document.getElementById(id)!)
          .filter((e) => e.textContent && e.getClientRects().length);
        return Math.min(...texts.map((e) => ratio(rgba(getComputedStyle(e).color), bg)));
      }, scene);
    for (const theme of ['dark', 'light'] as const) {
      for (const [name, scene] of [
        ['dark', [30, 30, 30]],
        ['light', [255, 255, 255]],
        ['black', [0, 0, 0]],
      ] as const) {
        const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
        await page.goto(`${overlayUrl}&theme=${theme}&position=bottom-left`);
        await page.waitForSelector('#o-question:not([hidden])');
        // Measured (and shown) once the entrance is over: colours are the card's at rest.
        await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
        expect(await page.$eval('#card', (e) => getComputedStyle(e).opacity)).toBe('1');
        expect(await worst(scene as unknown as [number, number, number])(page), `${theme} card over a ${name} scene`).toBeGreaterThanOrEqual(4.5);
        if (name !== 'black') {
          await page.evaluate(
            (c) => {
              document.body.style.background = c;
            },
            name === 'dark' ? '#1e1e1e' : '#ffffff',
          );
          await page.screenshot({ path: `${SHOTS}/overlay-${theme}-card-on-${name}.png` });
        }
        await page.close();
      }
    }
    // Options: accent, size, what to show; a faint accent keeps the number readable.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${overlayUrl}&theme=light&accent=%23ffee00&size=40&show=question,votes&position=top-right`);
    await page.waitForSelector('#o-question:not([hidden])');
    expect(await page.textContent('#o-topic')).toBe('');
    expect(await page.textContent('#o-meta')).toBe('0 votes');
    expect(await page.$eval('body', (e) => getComputedStyle(e).fontSize)).toBe('40px');
    expect(await page.$eval('#card', (e) => getComputedStyle(e).boxShadow)).toContain('rgb(255, 238, 0)');
    expect(await worst([255, 255, 255])(page)).toBeGreaterThanOrEqual(4.5);
    expect(await page.$eval('#card', (e) => getComputedStyle(e).animationName)).toBe('none');
    await page.goto(`${overlayUrl}&hideTopic=1`);
    await page.waitForSelector('#o-question:not([hidden])');
    expect(await page.textContent('#o-topic')).toBe('');
    expect(await page.textContent('#o-meta')).toBe('asked by bob · 0 votes');
    await page.close();
  });

  it("a long stream: the open count stays the server's beyond the 200 shown, closed rows stay bounded, a silent link reconnects by itself", async () => {
    const { x, base } = await harness();
    const ask = (i: number, text: string) =>
      x.app.questions.ask(
        {
          platform: 'twitch',
          channel: 'teacher',
          id: `m${i}`,
          kind: 'message',
          text,
          time: 0,
          author: { id: `u${i}`, login: `u${i}`, displayName: `u${i}`, roles: [] },
        },
        text,
        'command',
      );
    for (let i = 1; i <= 205; i++) ask(i, `question number ${i} about topic zq${i}x and kw${i}y?`);
    const dash = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dash.setDefaultTimeout(8_000);
    // Every socket the page opens is counted, to see it reconnect.
    await dash.addInitScript(() => {
      const W = window.WebSocket;
      (window as unknown as { sockets: number }).sockets = 0;
      window.WebSocket = class extends W {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          (window as unknown as { sockets: number }).sockets++;
        }
      };
    });
    await dash.goto(`${base}/?token=${TOKEN}`);
    await dash.waitForSelector('#q-count >> text=200 of 205');
    // Votes on questions below the 200 shown (the page does not hold them) do not count them again.
    for (const n of [201, 202, 203, 204, 205])
      x.app.questions.vote(
        {
          platform: 'twitch',
          channel: 'teacher',
          id: `v${n}`,
          kind: 'message',
          text: '',
          time: 0,
          author: { id: `voter${n}`, login: `voter${n}`, displayName: `voter${n}`, roles: [] },
        },
        n,
      );
    await dash.waitForSelector('.q[data-id="205"]');
    expect(await dash.textContent('#q-count')).toBe('200 of 205');
    // Answering 60: the page keeps the newest 50 closed rows, and the count follows the server.
    for (let n = 1; n <= 60; n++) x.app.questions.setState(n, 'answered');
    // The queue is filled up again from the server: 145 open, all on the page.
    await dash.waitForSelector('#q-count >> text=/^145$/');
    await poll(async () => (await dash.locator('.q.q-answered').count()) === 50, 'fifty closed rows');
    expect(await dash.locator('.q.q-open').count()).toBe(145);
    // A link that hears nothing (a closed lid: the socket never says it closed) is given up and
    // opened again; the page is then up to date.
    const before = await dash.evaluate(() => (window as unknown as { sockets: number }).sockets);
    await dash.evaluate(() => {
      const real = Date.now.bind(Date);
      Date.now = () => real() + 60_000;
    });
    await poll(async () => (await dash.evaluate(() => (window as unknown as { sockets: number }).sockets)) > before, 'a new socket', 10_000);
    await dash.waitForSelector('#link.state-connected');
    ask(300, 'a question asked after the reconnect about zzqq?');
    await dash.waitForSelector('#q-count >> text=/^146$/');
    await dash.close();
  });

  it('the WebSocket checks Origin and the token; the API answers actions', async () => {
    const { x, base } = await harness();
    const { WebSocket } = await import('ws');
    const closed = (ws: InstanceType<typeof WebSocket>) => new Promise<number>((r) => ws.on('close', (code) => r(code)));
    const evil = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` } });
    expect(await closed(evil)).toBe(1008);
    const refused = (ws: InstanceType<typeof WebSocket>) => new Promise<string>((r) => ws.on('error', (e) => r(e.message)));
    const noToken = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: base } });
    expect(await refused(noToken)).toMatch(/401/);
    const good = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: base, authorization: `Bearer ${TOKEN}` } });
    const first = await new Promise<{ type: string }>((r) => good.once('message', (m) => r(JSON.parse(String(m)))));
    expect(first.type).toBe('state');
    good.close();
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const topic = await (await fetch(`${base}/api/topic`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Tokenizers' }) })).json();
    expect(topic).toMatchObject({ title: 'Tokenizers', source: 'dashboard' });
    expect((await fetch(`${base}/api/topic`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(400);
    x.sim.chat('teacher', viewer('bob'), '!q how does BPE work?');
    await new Promise((r) => setTimeout(r, 100));
    expect(await (await fetch(`${base}/api/questions/1/highlight`, { method: 'POST', headers: auth, body: '{}' })).json()).toMatchObject({
      id: 1,
      highlighted: true,
    });
    expect((await fetch(`${base}/api/questions/99/answer`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(404);
    const md = await fetch(`${base}/api/export?format=md`, { headers: auth });
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(await md.text()).toContain('how does BPE work?');
    expect((await fetch(`${base}/api/export?format=pdf`, { headers: auth })).status).toBe(400);
    const state = JSON.stringify(await (await fetch(`${base}/api/state`, { headers: auth })).json());
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain('simtoken');
  });
});
