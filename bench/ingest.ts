import tmi from 'tmi.js';
import { destination } from 'pino';
import { App } from '../src/app/index.js';
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

/**
 * Words no two generated questions are likely to share much of: 60 syllables make 216,000
 * three-syllable words, so questions drawn from them never merge.
 */
const SYLLABLES =
  'ka ri to mu se na lo pe vi da gu ze ho fi ba ne so ru te mi go la ku de po wa yu ji ch sh tr bl gr pl st fl cr dr ki ma no ta re su bo fe li ga hu zo ve ni py ly cy dy my xy qu br'.split(
    ' ',
  );
function rareWord(i: number): string {
  const n = SYLLABLES.length;
  return SYLLABLES[i % n]! + SYLLABLES[Math.floor(i / n) % n]! + SYLLABLES[Math.floor(i / (n * n)) % n]!;
}

/** A well-mixed integer hash (so generated questions share no structure). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A question no other `distinctQuestion(j)` merges with. */
export function distinctQuestion(i: number): string {
  const w = (k: number) => rareWord(mix(i * 8 + k));
  return `how does ${w(1)} ${w(2)} relate to ${w(3)} and ${w(4)} in ${w(5)}?`;
}

/** Every line a different question (detected, not a command), from 1,500 viewers. */
function makeQuestionLines(sim: TwitchSim, n: number, runId: string, salt: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(sim.privmsgLine('bench', { login: `asker${i % 1500}` }, distinctQuestion(salt + i), { id: `${runId}-${i}` }));
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

interface PipelineResult {
  readonly linesPerSecond: number;
  readonly questions: number;
  readonly rssMb: number;
}

/** The whole service reading `lines`; done when every line is handled and every question written. */
async function pipelineRun(sim: TwitchSim, port: number, lines: string[], expectQuestions = 0, perViewerCap = 0): Promise<PipelineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-'));
  // The per-viewer cap is off unless asked for: the point is what the question log costs at any size.
  const parsed = parseConfig(
    `twitch: { channel: bench, username: benchbot, server: { host: 127.0.0.1, port: ${port}, secure: false } }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\nquestions: { perViewer: { count: ${perViewerCap} } }\ndashboard: { enabled: false }\n`,
    { TWITCH_OAUTH_TOKEN: TOKEN },
  );
  if (!parsed.ok) throw new Error('bench config invalid');
  const logger = createLogger({ level: 'info', destination: destination({ dest: '/dev/null', sync: true }) });
  const app = new App({ config: parsed.config, logger });
  await app.start();
  await new Promise((r) => setTimeout(r, 100));
  let questions = 0;
  app.bus.on('question', ({ change }) => {
    if (change === 'created') questions++;
  });
  const before = app.bot.stats.processed;
  const t0 = performance.now();
  blast(sim, lines);
  // Every line handled, every question written (detected ones are written in batches, after).
  await waitFor(() => app.bot.stats.processed - before >= lines.length && questions >= expectQuestions, 300_000);
  await new Promise((r) => setImmediate(r));
  const seconds = (performance.now() - t0) / 1000;
  const rssMb = process.memoryUsage().rss / 1e6;
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  return { linesPerSecond: lines.length / seconds, questions, rssMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchIngest(print: (s: string) => void, n = 40_000, rounds = 5): Promise<{ ratio: number; questionBare: number }> {
  const sim = new TwitchSim({ validTokens: [TOKEN], botRole: 'moderator' });
  const port = await sim.start();
  const bare: number[] = [];
  const pipe: number[] = [];
  // Warm-up of both paths, then alternate so neither gets the warmer machine.
  await bareRun(sim, port, makeLines(sim, 5000, 'wb'));
  await pipelineRun(sim, port, makeLines(sim, 5000, 'wp'));
  for (let r = 0; r < rounds; r++) {
    bare.push(await bareRun(sim, port, makeLines(sim, n, `b${r}`)));
    pipe.push((await pipelineRun(sim, port, makeLines(sim, n, `p${r}`))).linesPerSecond);
  }
  const ratio = median(pipe) / median(bare);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
  print(`ingest: ${n.toLocaleString('en-US')} chat lines per run, ${rounds} alternating runs, median`);
  print(`  bare tmi.js client        ${fmt(median(bare))} lines/s   (runs: ${bare.map((x) => Math.round(x)).join(', ')})`);
  print(`  lectern whole pipeline    ${fmt(median(pipe))} lines/s   (runs: ${pipe.map((x) => Math.round(x)).join(', ')})`);
  print(`  ingest ratio              ${ratio.toFixed(2).padStart(9)}          (target >= 0.50)`);

  // Every line a different question: the question log grows to 50,000 open questions per run.
  const qn = 50_000;
  const qBare: number[] = [];
  const qPipe: PipelineResult[] = [];
  for (let r = 0; r < 3; r++) {
    qBare.push(await bareRun(sim, port, makeQuestionLines(sim, qn, `qb${r}`, r * qn)));
    qPipe.push(await pipelineRun(sim, port, makeQuestionLines(sim, qn, `qp${r}`, (r + 10) * qn), qn));
  }
  // The same flood with the default cap (5 new questions per viewer per 10 minutes).
  const capped = await pipelineRun(sim, port, makeQuestionLines(sim, qn, 'qc', 20 * qn), 1500 * 5, 5);
  await sim.stop();
  const qRatio = median(qPipe.map((p) => p.linesPerSecond)) / median(qBare);
  print(`ingest, every line a different question: ${qn.toLocaleString('en-US')} lines from 1,500 viewers per run, 3 alternating runs, median`);
  print(`  bare tmi.js client        ${fmt(median(qBare))} lines/s   (runs: ${qBare.map((x) => Math.round(x)).join(', ')})`);
  print(
    `  lectern whole pipeline    ${fmt(median(qPipe.map((p) => p.linesPerSecond)))} lines/s   (runs: ${qPipe.map((p) => Math.round(p.linesPerSecond)).join(', ')})`,
  );
  print(`  questions stored per run  ${qPipe.map((p) => p.questions.toLocaleString('en-US')).join(', ')} (no two merge)`);
  print(`  RSS after each run        ${qPipe.map((p) => `${Math.round(p.rssMb)} MB`).join(', ')}`);
  print(`  ingest ratio              ${qRatio.toFixed(2).padStart(9)}          (target >= 0.50)`);
  print(
    `  same flood, default cap   ${fmt(capped.linesPerSecond)} lines/s   ratio ${(capped.linesPerSecond / median(qBare)).toFixed(2)}, ${capped.questions.toLocaleString('en-US')} questions stored (5 per viewer)`,
  );
  return { ratio, questionBare: median(qBare) };
}
