import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { App } from '../src/app/index.js';
import { parseConfig, type Config } from '../src/config/index.js';
import { createLogger, ManualClock, type Logger } from '../src/core/index.js';
import { TwitchSim, YouTubeSim, type TwitchSimOptions, type YouTubeSimOptions } from '../src/sim/index.js';

export const TOKEN = 'simtoken0123456789';

/**
 * The seed of the simulators' random choices (how the YouTube stream is cut into pieces): fixed in
 * `npm test` so every run meets the same cases, fresh in the long suite (`LECTERN_LONG=1`).
 */
export const SIM_SEED = process.env['LECTERN_LONG'] ? Math.floor(Math.random() * 2 ** 31) : 20261127;
if (process.env['LECTERN_LONG']) console.info(`simulator seed ${SIM_SEED}`);

/** Waits for a condition that depends on socket I/O; fails with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A logger that keeps its JSON lines in memory, so tests can read what was logged. */
export function memoryLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger({ level, destination: destination as never }), lines };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function mustParse(yaml: string, env: Record<string, string> = {}): Config {
  const r = parseConfig(yaml, env);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

export interface Harness {
  sim: TwitchSim;
  app: App;
  clock: ManualClock;
  config: Config;
  logLines: string[];
  dir: string;
  close(): Promise<void>;
}

/** The real App with the real tmi.js against the loopback simulator, on a manual clock. */
export async function startHarness(
  opts: {
    extraYaml?: string;
    twitchExtra?: string;
    env?: Record<string, string>;
    sim?: TwitchSimOptions;
    anonymous?: boolean;
    start?: boolean;
    dashboardToken?: string;
    username?: string;
    dir?: string;
    /** More keys of `storage` (its path is the harness's), e.g. `backup: { everyHours: 1 }`. */
    storage?: string;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(Date.now());
  const sim = new TwitchSim({ clock, validTokens: [TOKEN], ...opts.sim });
  const port = await sim.start();
  // A given folder outlives the harness (a restart with other settings on the same database).
  const { dir, cleanup } = opts.dir ? { dir: opts.dir, cleanup: () => undefined } : tempDir();
  const config = mustParse(
    `twitch:
  channel: teacher
${opts.anonymous ? '' : `  username: ${opts.username ?? 'lecternbot'}\n`}  server: { host: 127.0.0.1, port: ${port}, secure: false }
  reconnect: { initialSeconds: 0.1, maxSeconds: 2 }
${opts.twitchExtra ?? ''}storage: { path: ${JSON.stringify(join(dir, 'lectern.db'))}${opts.storage ? `, ${opts.storage}` : ''} }
${opts.extraYaml ?? ''}`,
    { ...(opts.anonymous ? {} : { TWITCH_OAUTH_TOKEN: TOKEN }), ...opts.env },
  );
  const { logger, lines } = memoryLogger();
  const app = new App({ config, logger, clock, random: () => 0.5, ...(opts.dashboardToken ? { dashboardToken: opts.dashboardToken } : {}) });
  if (opts.start !== false) await app.start();
  return {
    sim,
    app,
    clock,
    config,
    logLines: lines,
    dir,
    async close() {
      let done = false;
      const stopped = app.stop().finally(() => (done = true));
      while (!done) await advance(clock, 100, 100);
      await stopped;
      await sim.stop();
      cleanup();
    },
  };
}

/** Stops an App whose timers run on a manual clock, moving the clock until it is done. */
export async function stopOnClock(app: App, clock: ManualClock): Promise<void> {
  let done = false;
  const stopped = app.stop().finally(() => (done = true));
  while (!done) {
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 2));
  }
  await stopped;
}

/**
 * Lets Twitch's outbox drain on fake time, moving the clock only once the simulator has every
 * message the bot sent: a message still in flight while the clock jumps would arrive "late" and
 * make two sends look closer together than they were (a rate-limit breach that never happened).
 */
export async function drainTwitchOutbox(app: App, sim: TwitchSim, clock: ManualClock, timeoutMs = 20_000, stepMs = 500): Promise<void> {
  const sentByBot = () => app.statuses().find((p) => p.platform === 'twitch')!.messagesOut;
  const start = Date.now();
  while (app.outboxes.get('twitch')!.pending > 0) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the Twitch outbox to drain');
    if (sim.sent.length + sim.refused.length >= sentByBot()) clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Waits for a condition while fake time moves on (timers of the outbox and reconnects fire). */
export async function untilClock(clock: ManualClock, cond: () => boolean, what = 'condition', timeoutMs = 5000, stepMs = 100): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Advances the manual clock in steps, letting socket I/O happen between them. */
export async function advance(clock: ManualClock, ms: number, stepMs = 100): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(Math.min(stepMs, ms - t));
    await new Promise((r) => setImmediate(r));
  }
}

export const viewer = (login: string, badges?: Record<string, string>) => ({ login, displayName: login, ...(badges ? { badges } : {}) });

export const YT_KEY = 'AIzaSim-test-key-000';
export const YT_REFRESH = '1//sim-refresh-token';
export const YT_OAUTH_ENV = { YOUTUBE_CLIENT_ID: 'sim-client.apps', YOUTUBE_CLIENT_SECRET: 'sim-client-secret', YOUTUBE_REFRESH_TOKEN: YT_REFRESH };

export interface YouTubeHarness {
  yt: YouTubeSim;
  twitch: TwitchSim | undefined;
  app: App;
  clock: ManualClock;
  dir: string;
  dbPath: string;
  /** Builds another App on the same database and simulators (a restart). */
  restart(): Promise<App>;
  close(): Promise<void>;
}

/** The real App with the real Google client against the YouTube simulator (and optionally Twitch). */
export async function startYouTubeHarness(
  opts: {
    transport?: 'auto' | 'stream' | 'poll';
    oauth?: boolean;
    withTwitch?: boolean;
    /** More of the twitch section (indented lines), and the Twitch simulator's options. */
    twitchExtra?: string;
    twitchSim?: TwitchSimOptions;
    extraYaml?: string;
    youtubeYaml?: string;
    /** Where the chat is found (YAML lines of the youtube section); a fixed video by default. */
    source?: string;
    sim?: YouTubeSimOptions;
    live?: boolean;
    start?: boolean;
    dashboardToken?: string;
  } = {},
): Promise<YouTubeHarness> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 17, 0));
  const yt = new YouTubeSim({ clock, apiKeys: [YT_KEY], refreshTokens: [YT_REFRESH], streamHoldMs: 60_000, streamPieces: { seed: SIM_SEED }, ...opts.sim });
  await yt.start();
  // Not live: the video exists (scheduled) but has no chat yet.
  yt.addVideo('vid-live-01', opts.live === false ? undefined : 'chat-live-01');
  let twitch: TwitchSim | undefined;
  let twitchYaml = '';
  if (opts.withTwitch) {
    twitch = new TwitchSim({ clock, validTokens: [TOKEN], ...opts.twitchSim });
    const port = await twitch.start();
    twitchYaml = `twitch:\n  channel: teacher\n  username: lecternbot\n  server: { host: 127.0.0.1, port: ${port}, secure: false }\n${opts.twitchExtra ?? ''}`;
  }
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'lectern.db');
  const env: Record<string, string> = {
    ...(opts.oauth ? YT_OAUTH_ENV : { YOUTUBE_API_KEY: YT_KEY }),
    ...(opts.withTwitch ? { TWITCH_OAUTH_TOKEN: TOKEN } : {}),
  };
  const config = mustParse(
    `${twitchYaml}youtube:
  ${opts.source ?? 'videoId: vid-live-01'}
  apiRoot: ${yt.rootUrl}
  transport: ${opts.transport ?? 'auto'}
  oauth: { tokenUrl: ${yt.rootUrl}token }
${opts.youtubeYaml ?? ''}storage: { path: ${JSON.stringify(dbPath)} }
${opts.extraYaml ?? ''}`,
    env,
  );
  const { logger } = memoryLogger('warn');
  const make = () => new App({ config, logger, clock, random: () => 0.5, dashboardToken: opts.dashboardToken });
  let app = make();
  const stopApp = async (a: App) => {
    let done = false;
    const stopped = a.stop().finally(() => (done = true));
    while (!done) await advance(clock, 100, 100);
    await stopped;
  };
  if (opts.start !== false) await app.start();
  const h: YouTubeHarness = {
    yt,
    twitch,
    app,
    clock,
    dir,
    dbPath,
    async restart() {
      await stopApp(app);
      app = make();
      h.app = app;
      await app.start();
      return app;
    },
    async close() {
      await stopApp(h.app);
      await yt.stop();
      await twitch?.stop();
      cleanup();
    },
  };
  return h;
}
