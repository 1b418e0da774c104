import { join } from 'node:path';
import { App } from '../app/index.js';
import { parseConfig } from '../config/index.js';
import { createLogger, toError, type Logger } from '../core/index.js';
import { destination as pinoDestination } from 'pino';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, plural, privateFiles, withSignals, type Io } from './io.js';
import { DEMO_SCRIPT, HelixSim, LAST_WEEK_SCRIPT, runScript, TwitchSim, YouTubeSim } from '../sim/index.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, exportFromDatabase } from '../export/index.js';
import { narrate, printBacklog } from './demo-transcript.js';

export interface DemoOptions {
  readonly dataDir: string;
  readonly durationSeconds?: number;
  readonly logger: Logger;
  /** Where the logger writes, to say so. */
  readonly logFile?: string;
  readonly write: (line: string) => void;
  readonly signal: AbortSignal;
}

const DEMO_TOKEN = 'demo-token-not-a-secret';
const DEMO_YT = { YOUTUBE_CLIENT_ID: 'demo-client', YOUTUBE_CLIENT_SECRET: 'demo-secret-not-a-secret', YOUTUBE_REFRESH_TOKEN: 'demo-refresh-not-a-secret' };
const DEMO_CHAT = 'demo-live-chat';

/** The demo's notes ship with the package (demo/notes), next to dist/ or, in a checkout, src/. */
function demoNotesDir(): string {
  const candidates = [new URL('../../../demo/notes', import.meta.url), new URL('../../demo/notes', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

const demoConfig = (port: number, ytRoot: string, dataDir: string, feedUrl: string, videoId: string, helixUrl: string, notesDir = demoNotesDir()) => `
youtube:
  videoId: ${videoId}
  apiRoot: ${ytRoot}
  oauth: { tokenUrl: ${ytRoot}token }
twitch:
  channel: teacher
  username: lecternbot
  server: { host: 127.0.0.1, port: ${port}, secure: false }
  reconnect: { initialSeconds: 0.5, maxSeconds: 5 }
  # Helix (simulated): live status, and deleting links (the bot is a moderator there).
  clientId: demo-client
  helixUrl: ${helixUrl}
knowledge:
  notes:
    - dir: ${JSON.stringify(notesDir)}
      baseUrl: https://github.com/you/notes/blob/main/
  feeds: [${feedUrl}]
  links:
    - { title: "Study group on Discord", url: "https://discord.example/lectern", tags: [community, discord] }
    - { title: "The Illustrated Transformer", url: "https://jalammar.github.io/illustrated-transformer/", tags: [attention, transformers] }
topic:
  followNotes: true
dashboard:
  port: 0
storage:
  path: ${JSON.stringify(join(dataDir, 'lectern.db'))}
stream:
  # Each run of the service is its own stream session (the demo plays last week's, then today's).
  resumeWithinMinutes: 0
  vodUrl:
    youtube: "https://youtu.be/demo-video-1?t={seconds}s"
    twitch: "https://www.twitch.tv/videos/1000000?t={hms}"
commands:
  custom:
    - name: discord
      aliases: [chat]
      response: "Come and ask more on Discord, {user}: https://discord.example/lectern"
      userCooldown: 30
    - name: schedule
      response: "Live Mon, Wed and Fri at 18:00 UTC."
      globalCooldown: 10
    - name: so
      response: "Go follow the folks who helped today!"
      permission: moderator
timers:
  # Every 15 s here, for the demo; a stream would say 15 minutes. Never into a quiet chat.
  - name: ask
    message: "Questions? Ask with !q <your question> and vote with !up <number>. Notes for today: {notes}"
    everyMinutes: 0.25
    minLines: 10
    platforms: twitch
moderation:
  links: true
`;

/**
 * Runs everything offline: the Twitch simulator on loopback, the real bot against it, and a
 * scripted chat of viewers. Prints what viewers say and what the bot answers.
 */
/** The streamer's blog feed, on loopback: one old post, and a new one published between the streams. */
async function demoFeed(): Promise<{ url: string; publish: () => void; stop: () => Promise<void> }> {
  const item = (title: string, url: string, summary: string) => `<item><title>${title}</title><link>${url}</link><description>${summary}</description></item>`;
  const posts = [item('Why I learn in public', 'https://blog.example/learn-in-public', 'Streaming what I study, and writing up what viewers ask.')];
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>The teacher's blog</title><link>https://blog.example</link>${posts.join('')}</channel></rss>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`,
    publish: () =>
      void posts.unshift(
        item(
          'How the KV cache works',
          'https://blog.example/kv-cache',
          'Why transformers cache the keys and values of past tokens, and how the kv cache works during generation.',
        ),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Runs everything offline: the Twitch and YouTube simulators on loopback, the real bot against
 * them, a feed server, and scripted viewers. First a short "last week" session, so the backlog
 * has history; then today's stream, where a question comes back, a new post answers an old one
 * and its asker hears of it. Prints what viewers say and what the bot answers.
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const sim = new TwitchSim({ validTokens: [DEMO_TOKEN], botRole: 'moderator' });
  const port = await sim.start();
  const helix = new HelixSim({
    tokens: { [DEMO_TOKEN]: ['chat:read', 'chat:edit', 'moderator:manage:chat_messages'] },
    clientId: 'demo-client',
    users: { teacher: '1000', lecternbot: '2000' },
  });
  await helix.start();
  // No title: the demo's topics come from its script. A deletion reaches chat as Twitch's CLEARMSG.
  helix.title = '';
  helix.onDelete = (id) => sim.deleteMessage('teacher', id, '');
  const yt = new YouTubeSim({ refreshTokens: [DEMO_YT.YOUTUBE_REFRESH_TOKEN], streamHoldMs: 60_000 });
  await yt.start();
  const feed = await demoFeed();
  const configFor = (videoId: string) => {
    const parsed = parseConfig(
      demoConfig(port, yt.rootUrl, opts.dataDir, feed.url, videoId, helix.url),
      { TWITCH_OAUTH_TOKEN: DEMO_TOKEN, ...DEMO_YT },
      '(demo)',
    );
    if (!parsed.ok) throw new Error(`demo config is invalid: ${JSON.stringify(parsed.problems)}`);
    return parsed.config;
  };
  const w = opts.write;
  const done = new AbortController();
  const stopAll = () => done.abort();
  opts.signal.addEventListener('abort', stopAll, { once: true });
  let timeUp = false;
  const timer = opts.durationSeconds
    ? setTimeout(() => {
        timeUp = true;
        stopAll();
      }, opts.durationSeconds * 1000)
    : undefined;
  // The whole script takes about 75 s; a shorter --duration shows part of it, and says so.
  const stoppedEarly = (where: string) =>
    timeUp && w(`\n(stopped after ${opts.durationSeconds} s, ${where}: the whole demo takes about 75 s; run it with --duration 90, or without it)`);

  w(`Lectern demo: simulated Twitch chat at ws://127.0.0.1:${port} (#teacher, bot "lecternbot")`);
  w(`and the simulated YouTube Data API at ${yt.rootUrl}; the blog's feed at ${feed.url}.`);
  w(
    `Data: ${opts.dataDir} (a fresh database each run${opts.logFile ? `; the log is in ${opts.logFile}` : ''}). ${opts.durationSeconds ? `Runs for ${opts.durationSeconds} s.` : 'Press Ctrl-C to stop.'}`,
  );

  // Last week's stream: short, so that today's has a backlog.
  yt.addVideo('demo-video-0', 'demo-live-chat-0', { title: 'Transformers from scratch, part 1 | !q your questions' });
  const lastWeek = new App({ config: configFor('demo-video-0'), logger: opts.logger });
  narrate(lastWeek, w);
  w('');
  w("Last week's stream:");
  await lastWeek.start();
  w(`Stream session #${lastWeek.currentStream?.id} started.`);
  try {
    await runScript(LAST_WEEK_SCRIPT, { sim, channel: 'teacher', youtube: { sim: yt, liveChatId: 'demo-live-chat-0' }, signal: done.signal });
    if (!done.signal.aborted) await new Promise((r) => setTimeout(r, 2000));
    printBacklog(lastWeek, w, 'Backlog after it (lectern backlog):');
  } finally {
    await lastWeek.stop();
    yt.endStream('demo-video-0');
  }
  if (done.signal.aborted) {
    await Promise.all([sim.stop(), yt.stop(), feed.stop(), helix.stop()]);
    clearTimeout(timer);
    stoppedEarly("during last week's stream");
    return;
  }
  feed.publish();
  w('');
  w('Between the streams, the blog publishes "How the KV cache works".');
  w('');
  w("Today's stream:");

  yt.addVideo('demo-video-1', DEMO_CHAT, { title: 'Attention, queries, keys and values (part 2) | !q your questions' });
  const config = configFor('demo-video-1');
  const dashToken = randomBytes(24).toString('base64url');
  const app = new App({ config, logger: opts.logger, dashboardToken: dashToken });
  narrate(app, w);
  // The new post matches an old question: the streamer confirms it (on the dashboard, a click).
  app.bus.on('backlog', ({ change }) => {
    if (change !== 'proposals') return;
    for (const p of app.backlog.backlog.proposals()) {
      const item = app.backlog.backlog.get(p.itemId);
      w(
        `  (backlog: the new post "${p.title}" may answer #${p.itemId} "${item?.text ?? ''}"; the demo confirms it, as the streamer would with Confirm on the dashboard)`,
      );
      app.backlog.backlog.confirm(p.itemId, p.url);
      app.backlog.followUps.refresh();
    }
  });
  await app.start();
  const stream = app.currentStream;
  w(`Stream session #${stream?.id} started.`);
  if (app.dashboard) w(`Dashboard: ${app.dashboard.url}/?token=${dashToken}   Overlay for OBS (read-only): ${app.dashboard.overlayUrl}\n`);

  let played = 0;
  try {
    played = await runScript(DEMO_SCRIPT, {
      sim,
      channel: 'teacher',
      youtube: { sim: yt, liveChatId: DEMO_CHAT },
      signal: done.signal,
      onStep: (step) => {
        if ('fault' in step) w(step.fault === 'drop' ? '  (simulator: connection dropped)' : '  (simulator: Twitch sends RECONNECT)');
        if ('moderate' in step)
          w(step.moderate === 'delete' ? '  (simulator: a moderator deletes that message)' : `  (simulator: a moderator times out ${step.user.login})`);
        if ('twitchRefusesBot' in step) {
          // A moderator is exempt from the phone rule: the streamer took the role away by mistake.
          sim.botRole = step.twitchRefusesBot ? 'none' : 'moderator';
          w(
            step.twitchRefusesBot
              ? '  (simulator: the bot lost its moderator role, and Twitch now refuses its messages: its phone number is not verified)'
              : '  (simulator: the streamer verified the bot account and made it a moderator again; Twitch takes its messages again)',
          );
        }
      },
    });
    // The script plays once; the service (and its dashboard) stays up until Ctrl-C or the end of
    // --duration, with chat quiet: played again, it would add the same questions a second time.
    if (!done.signal.aborted) {
      await new Promise((r) => setTimeout(r, 2500));
      w('');
      w(
        opts.durationSeconds
          ? `(the script has played; the dashboard stays up until the ${opts.durationSeconds} s are over, or Ctrl-C)`
          : '(the script has played; the dashboard stays up until Ctrl-C)',
      );
      await new Promise<void>((resolve) => {
        if (done.signal.aborted) resolve();
        else done.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } finally {
    clearTimeout(timer);
    if (played < DEMO_SCRIPT.length) stoppedEarly("part-way through today's stream");
    const statuses = app.statuses();
    w('');
    printBacklog(app, w, 'Backlog across both streams (lectern backlog; lectern topics ranks the topics):');
    await app.stop();
    await sim.stop();
    await yt.stop();
    await feed.stop();
    await helix.stop();
    w('');
    w(`Summary: ${plural(app.bot.stats.processed, 'chat message')} read, ${plural(app.bot.stats.commands, 'command')} run.`);
    for (const s of statuses) {
      const o = app.outboxes.get(s.platform)?.stats;
      const quota = s.quota ? `, ${s.quota.used} of ${s.quota.dailyUnits} YouTube quota units used today` : '';
      w(
        `  ${s.platform}: ${plural(o?.sent ?? 0, 'message')} sent carrying ${plural(o?.repliesDelivered ?? 0, 'answer')}, ${plural(s.reconnects, 'reconnect')}${quota}.`,
      );
    }
    w(
      `  Sends over Twitch's limits: ${sim.violations.length}. Replies Twitch refused: ${app.outboxes.get('twitch')?.stats.refused ?? 0}. YouTube quota errors: ${yt.quotaErrors}.`,
    );
    if (stream) {
      const dir = join(opts.dataDir, 'exports');
      mkdirSync(dir, { recursive: true });
      w('');
      w(`Exports of stream session #${stream.id}:`);
      for (const format of EXPORT_FORMATS) {
        const [r] = exportFromDatabase(config.storage.path, stream.id, format, config.stream.vodUrl, Date.now());
        const file = join(dir, `stream-${stream.id}.${EXPORT_EXTENSIONS[format]}`);
        writeFileSync(file, r!.text);
        w(`  ${format.padEnd(8)} ${file}${r!.warnings.length ? `  (${r!.warnings.join('; ')})` : ''}`);
      }
    }
  }
}

export async function demo(durationSeconds: number | undefined, io: Io): Promise<number> {
  const dataDir = resolve('data', 'demo');
  // Like the service's data: the owner's only (the demo's is made up, but keep one rule).
  privateFiles();
  // Every demo starts from a fresh database: a second run must not resume the first one's stream.
  for (const f of ['lectern.db', 'lectern.db-wal', 'lectern.db-shm', 'lectern.log', 'feeds']) rmSync(join(dataDir, f), { force: true, recursive: true });
  mkdirSync(dataDir, { recursive: true });
  // The log goes to its own file, so it never interleaves with the transcript on stdout.
  const logFile = join(dataDir, 'lectern.log');
  const logger = createLogger({ level: 'info', destination: pinoDestination({ dest: logFile, sync: true }) });
  let code: number = EXIT.ok;
  await withSignals(logger, async (signal) => {
    try {
      await runDemo({ dataDir, logger, logFile, write: io.out, signal, durationSeconds });
    } catch (err) {
      io.err(`lectern demo: ${toError(err).message}`);
      code = EXIT.failure;
    }
  });
  return code;
}
