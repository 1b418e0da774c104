import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../src/app/index.js';
import { parseConfig } from '../src/config/index.js';
import { ManualClock, silentLogger } from '../src/core/index.js';
import { YouTubeApi, YouTubeApiError, type YouTubePlatform } from '../src/platforms/youtube/index.js';
import { YouTubeSim } from '../src/sim/index.js';

const HOURS = 8;
const STEP_MS = 250;
const MESSAGE_EVERY_MS = 4_000;
// 09:00 Pacific: the whole stream is inside one quota day.
const START = Date.UTC(2026, 5, 1, 16, 0);
const KEY = 'bench-api-key';
const REFRESH = 'bench-refresh';

/** Seeded, so every run posts the same chat at the same (random-looking) moments. */
function poissonArrivals(seed: number): () => boolean {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => rand() < STEP_MS / MESSAGE_EVERY_MS;
}

const tick = () => new Promise((r) => setImmediate(r));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface Result {
  label: string;
  units: number;
  quotaErrors: number;
  median: number;
  p95: number;
  received: number;
  posted: number;
  lastedHours: number;
}

async function runLectern(transport: 'poll' | 'stream'): Promise<Result> {
  const clock = new ManualClock(START);
  const sim = new YouTubeSim({ clock, apiKeys: [KEY], refreshTokens: [REFRESH], streamHoldMs: 10 * 60_000, pollingIntervalMillis: 5_000 });
  await sim.start();
  sim.addVideo('bench-video', 'bench-chat');
  const dir = mkdtempSync(join(tmpdir(), 'lectern-ytbench-'));
  const parsed = parseConfig(
    `youtube:\n  videoId: bench-video\n  apiRoot: ${sim.rootUrl}\n  transport: ${transport}\n  plannedStreamHours: ${HOURS}\n  oauth: { tokenUrl: ${sim.rootUrl}token }\nstorage: { path: ${JSON.stringify(join(dir, 'l.db'))} }\n`,
    { YOUTUBE_CLIENT_ID: 'bench', YOUTUBE_CLIENT_SECRET: 'bench', YOUTUBE_REFRESH_TOKEN: REFRESH },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const app = new App({ config: parsed.config, logger: silentLogger(), clock, random: () => 0.5 });
  const pickups: number[] = [];
  app.bus.on('chat', (e) => pickups.push(clock.now() - e.time));
  await app.start();
  const platform = app.platforms[0] as YouTubePlatform;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await tick();
    const t0 = Date.now();
    while ((transport === 'poll' ? platform.busy : pickups.length < posted && platform.status().state === 'connected') && Date.now() - t0 < 200) {
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  let posted = 0;
  const arrives = poissonArrivals(7);
  const end = START + HOURS * 3_600_000;
  while (clock.now() < end) {
    if (arrives()) {
      sim.post('bench-chat', { channelId: `UC-v${posted % 50}`, displayName: `@viewer${posted % 50}` }, `message number ${posted} about attention`);
      posted++;
    }
    // Let loopback I/O finish before time moves on, so latency is measured in simulated time.
    await settle();
    clock.advance(STEP_MS);
    await settle();
  }
  const units = sim.unitsUsed;
  const quotaErrors = sim.quotaErrors;
  let done = false;
  const stopped = app.stop().finally(() => (done = true));
  while (!done) {
    clock.advance(100);
    await tick();
  }
  await stopped;
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    label: `lectern ${transport}`,
    units,
    quotaErrors,
    median: pct(pickups, 50),
    p95: pct(pickups, 95),
    received: pickups.length,
    posted,
    lastedHours: HOURS,
  };
}

/** What most bots do: poll at pollingIntervalMillis until the quota is gone. */
async function runNaive(): Promise<Result> {
  const clock = new ManualClock(START);
  const sim = new YouTubeSim({ clock, apiKeys: [KEY], pollingIntervalMillis: 5_000 });
  await sim.start();
  sim.addVideo('bench-video', 'bench-chat');
  const api = new YouTubeApi({ apiRoot: sim.rootUrl, apiKey: KEY });
  const postedAt = new Map<string, number>();
  const pickups: number[] = [];
  let token: string | undefined;
  let nextPoll = START;
  let dryAt: number | undefined;
  let posted = 0;
  const arrives = poissonArrivals(7);
  const end = START + HOURS * 3_600_000;
  while (clock.now() < end) {
    if (arrives()) {
      const m = sim.post('bench-chat', { channelId: 'UC-v', displayName: '@v' }, `m${posted++}`);
      postedAt.set(m['id'] as string, clock.now());
    }
    if (dryAt === undefined && clock.now() >= nextPoll) {
      try {
        const page = await api.listMessages('bench-chat', token);
        for (const item of page.items ?? []) if (item.id && postedAt.has(item.id) && token) pickups.push(clock.now() - postedAt.get(item.id)!);
        token = page.nextPageToken ?? token;
        nextPoll = clock.now() + (page.pollingIntervalMillis ?? 5_000);
      } catch (err) {
        if (err instanceof YouTubeApiError && err.reason === 'quotaExceeded') dryAt = clock.now();
        else throw err;
      }
    }
    clock.advance(STEP_MS);
  }
  const r = {
    label: 'naive poller',
    units: sim.unitsUsed,
    quotaErrors: sim.quotaErrors,
    median: pct(pickups, 50),
    p95: pct(pickups, 95),
    received: pickups.length,
    posted,
    lastedHours: ((dryAt ?? end) - START) / 3_600_000,
  };
  await sim.stop();
  return r;
}

export async function benchYouTubeQuota(print: (s: string) => void): Promise<void> {
  const results = [await runLectern('poll'), await runLectern('stream'), await runNaive()];
  print(`youtube: simulated ${HOURS}-hour stream on 10,000 units, chat at random moments, one message per ${MESSAGE_EVERY_MS / 1000} s on average, fake time`);
  print('  reader            units  quota errors  chat read      lasted   pickup median   p95');
  for (const r of results) {
    const lasted = r.lastedHours >= HOURS ? `${HOURS} h (all)` : `ran dry at ${r.lastedHours.toFixed(1)} h`;
    print(
      `  ${r.label.padEnd(16)} ${String(r.units).padStart(6)}  ${String(r.quotaErrors).padStart(12)}  ${`${r.received}/${r.posted}`.padStart(10)}  ${lasted.padStart(18)}   ${(r.median / 1000).toFixed(1).padStart(6)} s  ${(r.p95 / 1000).toFixed(1).padStart(6)} s`,
    );
  }
  print('  targets: 8 h on the default quota with 0 quota errors; median pickup <= 10 s polling, <= 2 s streaming');
}
