import tmi from 'tmi.js';
import { destination } from 'pino';
import { App } from '../src/app.js';
import { parseConfig } from '../src/config/index.js';
import { createLogger } from '../src/core/index.js';
import { TwitchSim } from '../src/sim/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOKEN = 'bench-token-123456';

/** Realistic chat: mostly talk, one line in twenty a command, from a few thousand viewers. */
function makeLines(sim: TwitchSim, n: number, runId: string): string[] {
  const words = ['why', 'is', 'softmax', 'needed', 'here', 'attention', 'heads', 'lol', 'PogChamp', 'great', 'explanation', 'what', 'about', 'the', 'gradient'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const login = `viewer${i % 3000}`;
    const text = i % 20 === 0 ? '!help' : Array.from({ length: 4 + (i % 9) }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    lines.push(sim.privmsgLine('bench', { login, badges: i % 5 === 0 ? { subscriber: '3' } : {} }, text, { id: `${runId}-${i}` }));
  }
  return lines;
}

function blast(sim: TwitchSim, lines: string[]): void {
  for (let i = 0; i < lines.length; i += 100) sim.broadcast('bench', ...lines.slice(i, i + 100));
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('benchmark timed out');
    await new Promise((r) => setImmediate(r));
  }
}

async function bareRun(sim: TwitchSim, port: number, lines: string[]): Promise<number> {
  const silent = () => undefined;
  const client = new tmi.Client({
    options: { skipUpdatingEmotesets: true },
    connection: { server: '127.0.0.1', port, secure: false, reconnect: false },
    logger: { info: silent, warn: silent, error: silent },
    channels: ['bench'],
  } as tmi.Options);
  let count = 0;
  client.on('message', () => count++);
  await client.connect();
  await waitFor(() => sim.joined('bench') >= 1, 5000);
  await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  blast(sim, lines);
  await waitFor(() => count >= lines.length, 120_000);
  const seconds = (performance.now() - t0) / 1000;
  client.removeAllListeners();
  await client.disconnect();
  return lines.length / seconds;
}

async function pipelineRun(sim: TwitchSim, port: number, lines: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-'));
  const parsed = parseConfig(
    `twitch: { channel: bench, username: benchbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`,
    { TWITCH_OAUTH_TOKEN: TOKEN },
  );
  if (!parsed.ok) throw new Error('bench config invalid');
  const logger = createLogger({ level: 'info', destination: destination({ dest: '/dev/null', sync: true }) });
  const app = new App({ config: parsed.config, logger });
  await app.start();
  await new Promise((r) => setTimeout(r, 100));
  const before = app.bot.stats.processed;
  const t0 = performance.now();
  blast(sim, lines);
  await waitFor(() => app.bot.stats.processed - before >= lines.length, 120_000);
  const seconds = (performance.now() - t0) / 1000;
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  return lines.length / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchIngest(print: (s: string) => void, n = 40_000, rounds = 5): Promise<{ ratio: number }> {
  const sim = new TwitchSim({ validTokens: [TOKEN], botRole: 'moderator' });
  const port = await sim.start();
  const bare: number[] = [];
  const pipe: number[] = [];
  // Warm-up of both paths, then alternate so neither gets the warmer machine.
  await bareRun(sim, port, makeLines(sim, 5000, 'wb'));
  await pipelineRun(sim, port, makeLines(sim, 5000, 'wp'));
  for (let r = 0; r < rounds; r++) {
    bare.push(await bareRun(sim, port, makeLines(sim, n, `b${r}`)));
    pipe.push(await pipelineRun(sim, port, makeLines(sim, n, `p${r}`)));
  }
  await sim.stop();
  const ratio = median(pipe) / median(bare);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
  print(`ingest: ${n.toLocaleString('en-US')} chat lines per run, ${rounds} alternating runs, median`);
  print(`  bare tmi.js client        ${fmt(median(bare))} lines/s   (runs: ${bare.map((x) => Math.round(x)).join(', ')})`);
  print(`  lectern whole pipeline    ${fmt(median(pipe))} lines/s   (runs: ${pipe.map((x) => Math.round(x)).join(', ')})`);
  print(`  ingest ratio              ${ratio.toFixed(2).padStart(9)}          (target >= 0.50)`);
  return { ratio };
}
