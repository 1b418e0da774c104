import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { App } from '../src/app/index.js';
import { parseConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/index.js';
import { Worker } from 'node:worker_threads';
import { TwitchSim } from '../src/sim/index.js';

/** Lag counts per millisecond (the last bucket holds everything slower), so the bench itself
 * does not grow while it measures memory. */
class Histogram {
  private readonly buckets = new Uint32Array(5001);
  private n = 0;
  max = 0;
  get count(): number {
    return this.n;
  }
  add(ms: number): void {
    this.buckets[Math.min(5000, Math.max(0, Math.round(ms)))]!++;
    this.n++;
    if (ms > this.max) this.max = ms;
  }
  pct(p: number): number {
    let seen = 0;
    const target = (p / 100) * this.n;
    for (let i = 0; i < this.buckets.length; i++) if ((seen += this.buckets[i]!) >= target) return i;
    return this.buckets.length - 1;
  }
}

/** 50 dashboard clients while chat runs at 500 messages per second: lag and memory. */
export async function benchDashboard(print: (s: string) => void, clients = 50, rate = 500, seconds = 30): Promise<void> {
  const token = 'bench-dashboard-token-0123456789';
  const sim = new TwitchSim({ validTokens: ['bench-token-123456'], botRole: 'moderator' });
  const port = await sim.start();
  const dir = mkdtempSync(join(tmpdir(), 'lectern-dbench-'));
  const parsed = parseConfig(
    `twitch: { channel: bench, username: benchbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\ndashboard: { port: 0 }\n`,
    { TWITCH_OAUTH_TOKEN: 'bench-token-123456' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const app = new App({ config: parsed.config, logger: silentLogger(), dashboardToken: token });
  await app.start();
  const base = app.dashboard!.url;
  const lags = new Histogram();
  let received = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: base, authorization: `Bearer ${token}` } });
          ws.on('message', (raw) => {
            const msg = JSON.parse(String(raw)) as { type: string; data: { time?: number }; events?: Array<{ type: string; data: { time?: number } }> };
            if (msg.type === 'state') return resolve(ws);
            // Events come in frames gathered for 50 ms: the lag includes that wait.
            for (const e of msg.events ?? []) {
              if (e.type === 'chat' && e.data.time) {
                received++;
                lags.add(Date.now() - e.data.time);
              }
            }
          });
          ws.on('error', reject);
        }),
    ),
  );
  const rss: number[] = [];
  const words = ['attention', 'softmax', 'gradient', 'lol', 'nice', 'why', 'heads', 'tokens'];
  let sent = 0;
  const started = Date.now();
  const perTick = Math.max(1, Math.round(rate / 100));
  const ticker = setInterval(() => {
    for (let i = 0; i < perTick; i++, sent++)
      sim.chat('bench', { login: `viewer${sent % 500}` }, `${words[sent % 8]} ${words[(sent * 3) % 8]} message ${sent}`);
  }, 10);
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 1e6), 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(ticker);
  const expected = sent * clients;
  const deadline = Date.now() + 5000;
  while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  for (const s of sockets) s.close();
  const dropped = app.dashboard!.clients.dropped;
  await app.stop();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  const third = Math.max(1, Math.floor(rss.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  print(`dashboard: ${clients} WebSocket clients, chat at ${rate} messages/s for ${seconds} s (${sent} messages, ${(sent / elapsed).toFixed(0)}/s achieved)`);
  print(
    `  delivered ${received} of ${expected} chat events to the clients (in ${app.dashboard ? 'frames every 50 ms' : ''}); slow clients dropped: ${dropped}`,
  );
  print(`  lag from chat message to client: p50 ${lags.pct(50)} ms, p99 ${lags.pct(99)} ms, max ${lags.max.toFixed(0)} ms (target p99 <= 100 ms)`);
  print(
    `  RSS: first third ${avg(rss.slice(0, third)).toFixed(0)} MB, last third ${avg(rss.slice(-third)).toFixed(0)} MB, peak ${Math.max(...rss).toFixed(0)} MB (curve, 1/s: ${rss.map((r) => r.toFixed(0)).join(' ')})`,
  );
}

/**
 * A flood of 100,000 chat lines (one in five a question) from 5,000 viewers read while 50
 * dashboards are connected, and /healthz asked every 5 ms: how long it waits at worst. The
 * simulator writes from its own thread, as Twitch would from elsewhere.
 */
export async function benchFlood(print: (s: string) => void, lines = 100_000, clients = 50): Promise<void> {
  const token = 'bench-dashboard-token-0123456789';
  const worker = new Worker(new URL('./flood-sim.js', import.meta.url));
  const fromWorker = (what: string) => new Promise<void>((r) => worker.on('message', (m) => m === what && r()));
  const port = await new Promise<number>((r) => worker.once('message', (m: { port: number }) => r(m.port)));
  const dir = mkdtempSync(join(tmpdir(), 'lectern-flood-'));
  const parsed = parseConfig(
    `twitch: { channel: bench, username: benchbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\ndashboard: { port: 0 }\n`,
    { TWITCH_OAUTH_TOKEN: 'bench-token-123456' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const app = new App({ config: parsed.config, logger: silentLogger(), dashboardToken: token });
  await app.start();
  const base = app.dashboard!.url;
  const connected = fromWorker('connected');
  worker.postMessage({ dashboards: clients, base, token });
  await connected;
  const ready = fromWorker('ready');
  worker.postMessage({ lines });
  await ready;
  const latencies = new Histogram();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`);
      latencies.add(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  while (app.bot.stats.processed < lines && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  polling = false;
  await poller;
  const state = (await (await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    questions: unknown[];
    openQuestions: number;
  };
  const stopped = new Promise<number>((r) => worker.on('message', (m: { stopped?: boolean; frames?: number }) => m.stopped && r(m.frames ?? 0)));
  worker.postMessage('stop');
  const frames = await stopped;
  await app.stop();
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
  print(
    `flood: ${lines.toLocaleString('en-US')} chat lines (1 in 5 a question, 5,000 viewers, default per-viewer cap) read in ${seconds.toFixed(1)} s, ${clients} dashboards connected`,
  );
  print(
    `  /healthz every 5 ms meanwhile (${latencies.count} answers): p50 ${latencies.pct(50)} ms, p99 ${latencies.pct(99)} ms, max ${latencies.max.toFixed(0)} ms (targets p99 <= 100 ms, max <= 500 ms)`,
  );
  print(
    `  frames sent to each dashboard: ${Math.round(frames / clients)}; /api/state afterwards holds ${state.questions.length} of ${state.openQuestions} open questions`,
  );
}
