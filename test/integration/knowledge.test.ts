import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixSim } from '../../src/sim/index.js';
import { KnowledgeBase } from '../../src/knowledge/index.js';
import { createGuard, Health, ManualClock, silentLogger } from '../../src/core/index.js';
import { startHarness, tempDir, TOKEN, until, untilClock, viewer, type Harness } from '../helpers.js';

const NOTES = fileURLToPath(new URL('../fixtures/notes', import.meta.url));
const FEEDS = fileURLToPath(new URL('../fixtures/feeds', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const BASE = 'https://github.com/me/notes/blob/main/';

let h: Harness | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

function notesCopy(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  cpSync(NOTES, dir, { recursive: true });
  return dir;
}

async function feedServer(): Promise<{ url: string; server: Server; up: { ok: boolean } }> {
  const up = { ok: true };
  const server = createServer((req, res) => {
    if (!up.ok) return res.destroy();
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(readFileSync(join(FEEDS, 'blog.rss')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.rss`, server, up };
}

const knowledgeYaml = (notes: string, feedUrl?: string, extra = '') => `knowledge:
  notes: [{ dir: ${JSON.stringify(notes)}, baseUrl: ${BASE} }]
${feedUrl ? `  feeds: [${feedUrl}]\n` : ''}  links:
    - { title: "Study group on Discord", url: "https://discord.example/study", tags: [community, discord] }
${extra}`;

const mod = viewer('mod', { moderator: '1' });
const texts = (x: Harness) => x.sim.sent.map((m) => m.text);

describe('knowledge in chat', () => {
  it('!notes answers with the best section link; without words, for the current topic; nothing matching says so without echoing', async () => {
    h = await startHarness({ extraYaml: knowledgeYaml(notesCopy()) });
    const x = h;
    x.sim.chat('teacher', viewer('a'), '!notes adamw weight decay');
    await untilClock(x.clock, () => x.sim.sent.length === 1, 'notes answer');
    expect(texts(x)[0]).toBe(`@a Optimizers › Adam and AdamW → ${BASE}guides/optimizers.md#adam-and-adamw`);
    x.sim.chat('teacher', viewer('b'), '!notes');
    await untilClock(x.clock, () => x.sim.sent.length === 2, 'no topic answer');
    expect(texts(x)[1]).toBe('@b No topic yet: try !notes <words>');
    x.sim.chat('teacher', mod, '!topic set Multi-head attention');
    await untilClock(x.clock, () => x.sim.sent.length === 3, 'topic set');
    x.sim.chat('teacher', viewer('c'), '!notes');
    x.sim.chat('teacher', viewer('d'), '!topic');
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.stats.repliesDelivered === 5, 'two more answers', 8000, 500);
    const all = texts(x).join(' | ');
    expect(all).toContain(`@c Attention, explained › Multi-head attention → ${BASE}attention.md#multi-head-attention`);
    expect(all).toMatch(/@d Now: Multi-head attention \(for 0 min\) · notes: https:\/\/github\.com\/me\/notes\/blob\/main\/attention\.md#multi-head-attention/);
    x.sim.chat('teacher', viewer('e'), '!notes kubernetes helm zxqv');
    await untilClock(x.clock, () => texts(x).some((t) => t.startsWith('@e ')), 'nothing', 8000, 500);
    expect(texts(x).find((t) => t.startsWith('@e '))).toBe('@e Nothing in the notes matches that.');
  });

  it('!links gives the top three across sources in one message that fits; !article finds feed articles', async () => {
    const feed = await feedServer();
    h = await startHarness({ extraYaml: knowledgeYaml(notesCopy(), feed.url) });
    const x = h;
    await untilClock(x.clock, () => x.app.knowledge.stats().articles === 2, 'feed fetched', 5000, 100);
    x.sim.chat('teacher', viewer('a'), '!links softmax attention');
    x.sim.chat('teacher', viewer('b'), '!blog nan losses');
    x.sim.chat('teacher', viewer('c'), '!article');
    x.sim.chat('teacher', viewer('d'), '!links discord');
    x.sim.chat('teacher', viewer('e'), '!links zzzzqqq');
    await untilClock(x.clock, () => x.app.outboxes.get('twitch')!.stats.repliesDelivered === 5, 'answers', 10_000, 500);
    const byUser = Object.fromEntries(
      texts(x)
        .flatMap((t) => t.split(' · @').map((p, i) => (i ? `@${p}` : p)))
        .map((t) => [t.split(' ')[0], t]),
    );
    expect(byUser['@a']!.split(' · ').length).toBe(3);
    expect([...byUser['@a']!].length).toBeLessThanOrEqual(500);
    expect(byUser['@b']).toBe('@b Debugging NaN losses → https://blog.example/nan-losses');
    expect(byUser['@c']).toBe('@c How I learned attention in a week → https://blog.example/attention-week');
    expect(byUser['@d']).toMatch(/^@d Study group on Discord → https:\/\/discord\.example\/study/);
    // !links looked everywhere, and says so.
    expect(byUser['@e']).toBe('@e Nothing in the notes, articles or links matches that.');
  });

  it('a feed that cannot be fetched is reported, not fatal, and the disk cache answers after a restart', async () => {
    const feed = await feedServer();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const logger = silentLogger();
    const make = () => {
      const clock = new ManualClock(Date.now());
      const health = new Health(clock);
      return {
        health,
        kb: new KnowledgeBase({
          notes: [],
          feeds: [{ url: feed.url }],
          links: [],
          cacheDir: join(dir, 'feeds'),
          feedRefreshMs: 60_000,
          feedTimeoutMs: 2_000,
          clock,
          logger,
          guard: createGuard(logger, health),
          health,
        }),
      };
    };
    const first = make();
    first.kb.start({ watch: false, fetchFeeds: false });
    await first.kb.refreshFeed({ url: feed.url });
    expect(first.kb.stats().feeds[0]).toMatchObject({ articles: 2, fetchedAt: expect.any(Number) });
    first.kb.stop();
    feed.up.ok = false;
    const second = make();
    second.kb.start({ watch: false, fetchFeeds: false });
    expect(second.kb.stats().articles).toBe(2);
    await second.kb.refreshFeed({ url: feed.url });
    expect(second.kb.stats().feeds[0]!.error).toBeTruthy();
    expect(second.kb.stats().articles).toBe(2);
    expect(second.health.list()[0]).toMatchObject({ component: 'knowledge.feed' });
    expect(second.kb.search('nan losses', { kinds: ['article'] })[0]!.url).toBe('https://blog.example/nan-losses');
    second.kb.stop();
  });

  it('re-indexes a changed note, and with followNotes its title becomes the topic', async () => {
    const notes = notesCopy();
    h = await startHarness({ extraYaml: `${knowledgeYaml(notes)}topic: { followNotes: true }\n` });
    const x = h;
    expect(x.app.knowledge.search('quantization')).toEqual([]);
    writeFileSync(join(notes, 'guides', 'quantization.md'), '# Quantization\n\n## Int8 inference\n\nWeights in eight bits.\n');
    await untilClock(x.clock, () => x.app.knowledge.search('quantization').length > 0, 'new note indexed', 8000, 50);
    expect(x.app.knowledge.search('int8 inference')[0]!.url).toBe(`${BASE}guides/quantization.md#int8-inference`);
    await untilClock(x.clock, () => x.app.topics.current()?.title === 'Quantization', 'topic follows the note', 8000, 200);
    expect(x.app.topics.current()!.source).toBe('note');
    rmSync(join(notes, 'guides', 'quantization.md'));
    await untilClock(x.clock, () => x.app.knowledge.search('quantization').length === 0, 'deleted note removed', 8000, 50);
  });

  it('creates a Twitch stream marker on a topic change when a broadcaster token is configured', async () => {
    const helix = new HelixSim({ clientId: 'cid', tokens: { 'bcast-token-1': ['channel:manage:broadcast'] } });
    await helix.start();
    cleanups.push(() => helix.stop());
    h = await startHarness({
      extraYaml: `${knowledgeYaml(notesCopy())}`,
      twitchExtra: `  markers: { helixUrl: ${helix.url}, clientId: cid, broadcasterId: "1000" }\n`,
      env: { TWITCH_BROADCASTER_TOKEN: 'bcast-token-1' },
    });
    const x = h;
    x.sim.chat('teacher', mod, '!topic set Attention');
    await until(() => helix.markers.length === 1, 'marker');
    expect(helix.markers[0]).toMatchObject({ userId: '1000', description: 'Attention' });
  });
});

describe('lectern search (CLI)', () => {
  it('--json prints { title, url, source, score } best first; --stdin one array per line', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const config = join(dir, 'k.yaml');
    writeFileSync(config, `${knowledgeYaml(NOTES)}storage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`);
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' } });
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.on('exit', (code) => resolve({ code, out }));
        c.stdin.end(input ?? '');
      });
    const one = await run(['search', '--config', config, '--json', 'adamw', 'decay']);
    expect(one.code).toBe(0);
    const results = JSON.parse(one.out) as Array<Record<string, unknown>>;
    expect(Object.keys(results[0]!).sort()).toEqual(['score', 'source', 'title', 'url']);
    expect(results[0]).toMatchObject({ url: `${BASE}guides/optimizers.md#adam-and-adamw`, source: 'notes' });
    const scores = results.map((r) => r['score'] as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const many = await run(['search', '--config', config, '--stdin'], 'why softmax\n\ndiscord\n');
    const lines = many.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Array<{ url: string }>);
    expect(lines).toHaveLength(3);
    expect(lines[0]![0]!.url).toBe(`${BASE}attention.md#why-softmax`);
    expect(lines[1]).toEqual([]);
    expect(lines[2]![0]!.url).toBe('https://discord.example/study');
    void TOKEN;
  });
});
