import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/index.js';
import { TokenStore } from '../../src/auth/index.js';
import { ManualClock } from '../../src/core/index.js';
import type { YouTubePlatform } from '../../src/platforms/youtube/index.js';
import { TwitchAuthSim, TwitchSim, YouTubeSim, type YouTubeFault } from '../../src/sim/index.js';
import { memoryLogger, mustParse, SIM_SEED, stopOnClock, tempDir, YT_OAUTH_ENV, YT_REFRESH } from '../helpers.js';

const LONG = Boolean(process.env['LECTERN_LONG']);
/** Simulated minutes: two hours with `npm run test:reliability`, four in `npm test`. */
const MINUTES = LONG ? 120 : 4;
const RATE = 50; // messages per second on each platform
const STEP_MS = 100;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Seeded randomness: every run injects the same faults at the same moments. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`soak: ${MINUTES} simulated minutes, ${RATE} msg/s on each platform, with faults`, () => {
  it(
    'sends nothing twice or over a limit, loses no acknowledged question, reconnects within backoff, stays bounded',
    async () => {
      const clock = new ManualClock(Date.UTC(2026, 5, 1, 16, 0));
      const rand = rng(2026);
      const authSim = new TwitchAuthSim({ clientId: 'app', login: 'lecternbot', clock });
      await authSim.start();
      const irc = new TwitchSim({ clock, isValidToken: (t) => authSim.isValid(t), botRole: 'none' });
      const ircPort = await irc.start();
      const yt = new YouTubeSim({ clock, refreshTokens: [YT_REFRESH], streamHoldMs: 120_000, pollingIntervalMillis: 2_000, streamPieces: { seed: SIM_SEED } });
      await yt.start();
      yt.addVideo('soak-video', 'soak-chat');
      const { dir, cleanup } = tempDir();
      cleanups.push(
        cleanup,
        () => irc.stop(),
        () => yt.stop(),
        () => authSim.stop(),
      );
      const store = new TokenStore(join(dir, 'tokens.json'));
      const g = authSim.issue(['chat:read', 'chat:edit']);
      store.set('twitch', { accessToken: g.access, refreshToken: g.refresh, expiresAt: g.expiresAt, scopes: g.scopes, obtainedAt: clock.now() });
      const e = authSim.endpoints;
      const config = mustParse(
        `twitch:
  channel: teacher
  username: lecternbot
  server: { host: 127.0.0.1, port: ${ircPort}, secure: false }
  reconnect: { initialSeconds: 1, maxSeconds: 30 }
  auth: { clientId: app, deviceUrl: ${e.deviceUrl}, tokenUrl: ${e.tokenUrl}, validateUrl: ${e.validateUrl} }
youtube:
  videoId: soak-video
  apiRoot: ${yt.rootUrl}
  transport: auto
  plannedStreamHours: 2
  oauth: { tokenUrl: ${yt.rootUrl}token }
storage: { path: ${JSON.stringify(join(dir, 'lectern.db'))} }
`,
        YT_OAUTH_ENV,
      );
      const { logger, lines } = memoryLogger('warn');
      const app = new App({ config, logger, clock, random: rand });
      await app.start();
      cleanups.push(() => stopOnClock(app, clock));
      const ytPlatform = app.platforms.find((p) => p.id === 'youtube') as YouTubePlatform;

      const faults: Record<string, number> = {};
      const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);
      const rss: number[] = [];
      const steps = (MINUTES * 60_000) / STEP_MS;
      let nextDrop = 5_000 + rand() * 55_000;
      let nextYtFault = 20_000;
      let loginFailureAt = MINUTES >= 10 ? 7 * 60_000 : 90_000;
      let n = 0;
      const perStep = (RATE * STEP_MS) / 1000;
      for (let step = 0; step < steps; step++) {
        const t = step * STEP_MS;
        for (let k = 0; k < perStep; k++, n++) {
          // Each question comes from its own viewer, so an acknowledgement seen twice is a reply sent twice.
          const v = n % 40 === 0 ? `q${n}` : String(n % 997);
          const text =
            n % 40 === 0
              ? `!q soak question ${n}: how does part ${n} of topic ${n % 13} work?`
              : n % 97 === 0
                ? `!up ${1 + (n % 20)}`
                : n % 151 === 0
                  ? '!help'
                  : `chat line ${n} with some words`;
          irc.chat('teacher', { login: `tv${v}` }, text);
          yt.post('soak-chat', { channelId: `UC-${v}`, displayName: `@yv${v}` }, text.replace('soak question', 'yt question'));
        }
        if (t >= nextDrop) {
          if (rand() < 0.2) {
            irc.sendReconnect();
            count('twitch RECONNECT');
          } else {
            irc.dropConnections();
            count('twitch connection dropped');
          }
          nextDrop = t + 5_000 + rand() * 55_000;
        }
        if (t >= loginFailureAt) {
          // The token dies: the next login is refused, the bot refreshes and logs in again.
          authSim.expireAccessTokens();
          irc.dropConnections();
          count('twitch login refused (expired token)');
          loginFailureAt = Infinity;
        }
        if (t >= nextYtFault) {
          const pick: Array<[string, 'list' | 'stream', YouTubeFault, number]> = [
            ['youtube 5xx burst', 'stream', { kind: 'http', status: 503, reason: 'backendError' }, 3],
            ['youtube 5xx burst (poll)', 'list', { kind: 'http', status: 500, reason: 'internalError' }, 3],
            ['youtube rateLimitExceeded', 'list', { kind: 'http', status: 403, reason: 'rateLimitExceeded' }, 1],
            ['youtube malformed JSON', 'list', { kind: 'malformed' }, 1],
            ['youtube stream cut mid-object', 'stream', { kind: 'cut' }, 1],
            ['youtube slow answer', 'list', { kind: 'slow', ms: 300 }, 1],
          ];
          const [name, method, fault, times] = pick[Math.floor(rand() * pick.length)]!;
          yt.inject(method, fault, times);
          count(name);
          nextYtFault = t + 15_000 + rand() * 45_000;
        }
        clock.advance(STEP_MS);
        await new Promise((r) => setImmediate(r));
        if (step % 10 === 0) await new Promise((r) => setTimeout(r, 1));
        if (step % 600 === 0) rss.push(process.memoryUsage().rss / 1e6);
      }
      // Let the outboxes finish.
      for (let i = 0; i < 1200 && [...app.outboxes.values()].some((o) => o.pending > 0); i++) {
        clock.advance(500);
        await new Promise((r) => setTimeout(r, 2));
      }

      // 1. Nothing over a limit, nothing rejected as a duplicate.
      expect(irc.violations).toEqual([]);
      expect(irc.sent.filter((m) => m.rejected)).toEqual([]);
      expect(yt.quotaErrors).toBe(0);
      // 2. No reply twice: each acknowledgement (viewer, number) appears once.
      const acks = [...irc.sent.map((m) => m.text), ...yt.inserted.map((m) => m.text)].flatMap((t) =>
        [...t.matchAll(/@(\w+) (?:noted as |same as )?#(\d+)/g)].map((g2) => `${g2[1]}#${g2[2]}`),
      );
      expect(new Set(acks).size).toBe(acks.length);
      // 3. Every acknowledged question is stored with that asker.
      const stored = new Set(app.questions.all().flatMap((q) => [`${q.authorName.replace(/^@/, '')}#${q.number}`]));
      const askers = new Set<string>();
      for (const q of app.questions.all())
        for (const a of app.storeForReading().questions.askers(q.id)) askers.add(`${a.authorName.replace(/^@/, '')}#${q.number}`);
      for (const a of acks) expect(askers.has(a) || stored.has(a), `acknowledged ${a}`).toBe(true);
      // 4. Every reconnect delay within the configured backoff (30 s).
      const delays = lines
        .map((l) => JSON.parse(l) as { msg: string; delayMs?: number })
        .filter((l) => l.msg.startsWith('reconnecting'))
        .map((l) => l.delayMs!);
      expect(delays.length).toBeGreaterThan(0);
      for (const d of delays) expect(d).toBeLessThanOrEqual(30_000);
      // 5. Still connected and answering on both platforms.
      expect(app.statuses().map((s) => s.state)).toEqual(['connected', 'connected']);
      expect(app.statuses()[0]!.canSend).toBe(true);
      // 6. Memory bounded: the last samples are not far above the first.
      const report = {
        simulatedMinutes: MINUTES,
        messagesPerPlatform: n,
        faults,
        reconnects: app.statuses().map((s) => `${s.platform}:${s.reconnects}`),
        twitchSent: irc.sent.length,
        youtubeInserted: yt.inserted.length,
        acknowledged: acks.length,
        questions: app.questions.all().length,
        youtubeUnits: yt.unitsUsed,
        transport: ytPlatform.status().transport,
        rssMB: rss.map((r) => Math.round(r)),
      };
      console.log(`SOAK ${JSON.stringify(report)}`);
      expect(Math.max(...rss.slice(-3))).toBeLessThan(rss[0]! + 400);
      expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(MINUTES >= 10 ? 100 : 5);
    },
    LONG ? 3_600_000 : 120_000,
  );
});
