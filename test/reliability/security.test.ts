import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../src/config/index.js';
import { dashboardToken, sameSecret } from '../../src/dashboard/index.js';
import { startHarness, tempDir, untilClock, viewer, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('security', () => {
  it('the dashboard listens on loopback by default', async () => {
    const r = parseConfig('twitch: { channel: t }', {});
    expect(r.ok && r.config.dashboard.host).toBe('127.0.0.1');
    h = await startHarness({ dashboardToken: 'a-long-enough-dashboard-token-123', extraYaml: 'dashboard: { port: 0 }\n' });
    expect(new URL(h.app.dashboard!.url).hostname).toBe('127.0.0.1');
  });

  it('compares tokens in constant time: equal-length digests through timingSafeEqual, whatever the lengths', () => {
    const seen: Array<[number, number]> = [];
    const spy = (a: Buffer, b: Buffer) => {
      seen.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    };
    expect(sameSecret('abc', 'abc', spy)).toBe(true);
    expect(sameSecret('abc', 'abd', spy)).toBe(false);
    expect(sameSecret('abc', 'abcdef-longer', spy)).toBe(false);
    expect(sameSecret('', 'x', spy)).toBe(false);
    // Every comparison went through timingSafeEqual with two 32-byte digests (no early exit on length).
    expect(seen).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it('the bot never posts what a viewer wrote, whatever command it comes with', async () => {
    h = await startHarness({ extraYaml: 'knowledge:\n  links: [{ title: "Study group", url: "https://discord.example/x", tags: [community] }]\n' });
    const x = h;
    const markers: string[] = [];
    const commands = ['!help', '!commands', '!notes', '!links', '!article', '!q', '!ask', '!up', '!topic', '!questions', '!answered', '!nosuch'];
    let i = 0;
    for (const c of commands) {
      for (const shape of ['plain', 'markup', 'url']) {
        const m = `zq${randomBytes(5).toString('hex')}`;
        markers.push(m);
        const arg = shape === 'plain' ? m : shape === 'markup' ? `<b>${m}</b>` : `https://${m}.example/`;
        x.sim.chat('teacher', viewer(`sec${i++}`), `${c} ${arg}`);
      }
    }
    await untilClock(x.clock, () => x.app.bot.stats.processed === commands.length * 3, 'all read', 10_000);
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.pending === 0, 'drained', 20_000, 500);
    const stats = x.app.outboxes.get('twitch')!.stats;
    // Every command that answers did (nosuch, and !answered from a viewer, stay silent).
    expect(stats.repliesDelivered).toBeGreaterThanOrEqual(25);
    for (const sent of x.sim.sent) for (const m of markers) expect(sent.text).not.toContain(m);
  });
});

const TOKEN = 'security-dashboard-token-0123456789abcdef';

describe('the dashboard session', () => {
  async function dashboard(token = TOKEN, dir?: string) {
    h = await startHarness({ dashboardToken: token, extraYaml: 'dashboard: { port: 0 }\n', ...(dir ? { dir } : {}) });
    return { x: h, base: h.app.dashboard!.url };
  }
  const login = async (base: string, token = TOKEN) => {
    const r = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
    return /lectern_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  };

  it("the cookie holds a random session id, never the token; state-changing requests need the dashboard's origin and JSON", async () => {
    const { x, base } = await dashboard();
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question');
    const id = await login(base);
    expect(id).toBeDefined();
    expect(id).not.toContain(TOKEN);
    const cookie = { cookie: `lectern_session=${id}` };
    const post = (headers: Record<string, string>, body = '{}') =>
      fetch(`${base}/api/questions/1/dismiss`, { method: 'POST', headers: { ...cookie, ...headers }, body });
    const other = base.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`);
    // Another local page (another port), a form post, a no-cors fetch: refused.
    expect((await post({ origin: other, 'content-type': 'application/json' })).status).toBe(403);
    expect((await post({ origin: base, 'content-type': 'text/plain' })).status).toBe(403);
    expect((await post({ 'content-type': 'application/json' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' })).status).toBe(403);
    expect(x.app.questions.get(1)?.state).toBe('open');
    // From the dashboard itself: done.
    expect((await post({ origin: base, 'content-type': 'application/json' })).status).toBe(200);
    expect(x.app.questions.get(1)?.state).toBe('dismissed');
    // Scripts with the bearer token send no Origin; a foreign Origin is refused even so.
    const bearer = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    expect((await fetch(`${base}/api/questions/1/reopen`, { method: 'POST', headers: bearer, body: '{}' })).status).toBe(200);
    expect((await fetch(`${base}/api/questions/1/answer`, { method: 'POST', headers: { ...bearer, origin: other }, body: '{}' })).status).toBe(403);
    // Reading needs the session too, and the session id is only valid while it lasts.
    expect((await fetch(`${base}/api/state`, { headers: cookie })).status).toBe(200);
    expect((await fetch(`${base}/api/state`, { headers: { cookie: 'lectern_session=made-up' } })).status).toBe(401);
  });

  it('throttles failed logins per client with a clear 429', async () => {
    const { base } = await dashboard();
    // A browser that logged in before the failures keeps working (nobody can lock the streamer out).
    const session = { cookie: `lectern_session=${await login(base)}` };
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await fetch(`${base}/?token=wrong-${i}`, { redirect: 'manual' })).status);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    const blocked = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { message: string }).message).toMatch(/Too many failed logins/);
    // The right bearer token is refused too while throttled: the answer must not tell a guess apart.
    expect((await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(429);
    expect((await fetch(`${base}/api/state`, { headers: { authorization: 'Bearer wrong-again' } })).status).toBe(429);
    expect((await fetch(`${base}/api/state`, { headers: session })).status).toBe(200);
  });

  it('a new dashboard token revokes every session opened with the old one', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const first = await dashboard(TOKEN, dir);
      const id = await login(first.base);
      expect((await fetch(`${first.base}/api/state`, { headers: { cookie: `lectern_session=${id}` } })).status).toBe(200);
      await h!.close();
      h = undefined;
      const second = await dashboard(`${TOKEN}-replaced`, dir);
      expect((await fetch(`${second.base}/api/state`, { headers: { cookie: `lectern_session=${id}` } })).status).toBe(401);
    } finally {
      cleanup();
    }
  });

  it('the overlay key reads the topic and the highlighted question, and nothing else', async () => {
    const { x, base } = await dashboard();
    const key = new URL(x.app.dashboard!.overlayUrl).searchParams.get('key')!;
    expect(key).not.toContain(TOKEN);
    for (const path of ['/api/state', '/api/questions', '/'])
      expect((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await fetch(`${base}/?token=${key}`, { redirect: 'manual' })).status).toBe(401);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/overlay/ws?key=${key}`);
    const got: Array<{ type: string; data?: unknown; events?: Array<{ type: string; data: unknown }> }> = [];
    ws.on('message', (m) => got.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    x.sim.chat('teacher', viewer('mod', { moderator: '1' }), '!topic set Attention');
    x.sim.chat('teacher', viewer('bob'), 'a chat line the overlay must not see');
    x.sim.chat('teacher', viewer('bob'), '!q why is softmax needed in attention?');
    await untilClock(x.clock, () => x.app.questions.all().length === 1, 'question');
    x.app.questions.highlight(1);
    await untilClock(x.clock, () => JSON.stringify(got).includes('softmax'), 'overlay update', 5000);
    ws.close();
    const events = got.flatMap((m) => (m.type === 'batch' ? m.events! : [{ type: m.type, data: m.data }]));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['overlay']));
    expect(JSON.stringify(got)).not.toContain('must not see');
    expect(events.at(-1)!.data).toEqual({
      topic: { title: 'Attention' },
      question: { id: 1, text: 'why is softmax needed in attention?', author: 'bob', askerCount: 1, votes: 0, paid: null },
    });
  });
});

describe('secret files', () => {
  it('refuses a short LECTERN_DASHBOARD_TOKEN and tightens a token file left readable by others', () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(() => dashboardToken('too-short', join(dir, 'dashboard-token'))).toThrow(/at least 32/);
      mkdirSync(join(dir, 'data'));
      const file = join(dir, 'data', 'dashboard-token');
      writeFileSync(file, `${'t'.repeat(40)}\n`);
      chmodSync(file, 0o644);
      const r = dashboardToken(undefined, file);
      expect(r).toMatchObject({ token: 't'.repeat(40), created: false, tightened: true });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      cleanup();
    }
  });
});

describe('chat cannot stall the dashboard', () => {
  it('the live queue shows the best 200 open questions; the API pages through the rest', async () => {
    h = await startHarness({ dashboardToken: TOKEN, extraYaml: 'dashboard: { port: 0 }\nquestions: { perViewer: { count: 0 } }\n' });
    const x = h;
    const word = (i: number, k: number) => `w${((i * 7 + k) * 2_654_435_761) % 1_000_003}x`;
    for (let i = 0; i < 600; i++) x.sim.chat('teacher', viewer(`v${i}`), `why does ${word(i, 1)} ${word(i, 2)} need ${word(i, 3)} and ${word(i, 4)}?`);
    await untilClock(x.clock, () => x.app.bot.stats.processed === 600, 'all read', 10_000);
    await untilClock(x.clock, () => x.app.questions.all().length === 600, 'all stored', 10_000);
    x.sim.chat('teacher', viewer('fan'), '!up 450');
    await untilClock(x.clock, () => x.app.questions.get(450)?.votes === 1, 'a vote');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const base = x.app.dashboard!.url;
    const state = (await (await fetch(`${base}/api/state`, { headers: auth })).json()) as {
      questions: Array<{ id: number; state: string }>;
      openQuestions: number;
    };
    expect(state.openQuestions).toBe(600);
    expect(state.questions.filter((q) => q.state === 'open')).toHaveLength(200);
    // Best first: the voted question leads.
    expect(state.questions[0]!.id).toBe(450);
    const page = (await (await fetch(`${base}/api/questions?which=open&offset=200&limit=100`, { headers: auth })).json()) as {
      total: number;
      offset: number;
      items: Array<{ id: number }>;
    };
    expect(page).toMatchObject({ total: 600, offset: 200 });
    expect(page.items).toHaveLength(100);
    expect((await fetch(`${base}/api/questions?limit=100000`, { headers: auth })).status).toBe(400);
  });
});
