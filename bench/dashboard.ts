import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { App } from '../src/app.js';
import { parseConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/index.js';
import { TwitchSim } from '../src/sim/index.js';

/** Lag counts per millisecond (the last bucket holds everything slower), so the bench itself
 * does not grow while it measures memory. */
class Histogram {
  private readonly buckets = new Uint32Array(5001);
  private n = 0;
  max = 0;
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
    Array.from({ length: clients }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { origin: base, authorization: `Bearer ${token}` } });
        ws.on('message', (raw) => {
          const msg = JSON.parse(String(raw)) as { type: string; data: { time?: number } };
          if (msg.type === 'state') return resolve(ws);
          if (msg.type === 'chat' && msg.data.time) {
            received++;
            lags.add(Date.now() - msg.data.time);
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
    for (let i = 0; i < perTick; i++, sent++) sim.chat('bench', { login: `viewer${sent % 500}` }, `${words[sent % 8]} ${words[(sent * 3) % 8]} message ${sent}`);
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
  const dropped = app.dashboard!.dropped;
  await app.stop();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  const third = Math.max(1, Math.floor(rss.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  print(`dashboard: ${clients} WebSocket clients, chat at ${rate} messages/s for ${seconds} s (${sent} messages, ${(sent / elapsed).toFixed(0)}/s achieved)`);
  print(`  delivered ${received} of ${expected} client messages; slow clients dropped: ${dropped}`);
  print(`  lag from chat message to client: p50 ${lags.pct(50)} ms, p99 ${lags.pct(99)} ms, max ${lags.max.toFixed(0)} ms (target p99 <= 100 ms)`);
  print(`  RSS: first third ${avg(rss.slice(0, third)).toFixed(0)} MB, last third ${avg(rss.slice(-third)).toFixed(0)} MB, peak ${Math.max(...rss).toFixed(0)} MB (curve, 1/s: ${rss.map((r) => r.toFixed(0)).join(' ')})`);
}
