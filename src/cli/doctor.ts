import { TwitchPlatform } from '../platforms/twitch/index.js';
import { ChatFinder, pacificDay, QuotaPlanner, YouTubeApi, YouTubeApiError } from '../platforms/youtube/index.js';
import { credentialProblems, dataPaths, type Config } from '../config/index.js';
import { createGuard, Health, silentLogger, systemClock, toError } from '../core/index.js';
import { storagePathProblem, Store } from '../store/index.js';
import { ALIVE_WITHIN_MS, loadKnowledge } from '../app/index.js';
import { createServer } from 'node:net';
import { TokenStore, twitchCredentials, youtubeCredentials } from '../auth/index.js';
import { checkLinkProtection } from './doctor-links.js';
import { plural } from './io.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Twitch: the bot's roles in the channel, when it joined logged in. */
  readonly botRoles?: readonly string[];
}

const ago = (ms: number) =>
  ms < 90_000 ? `${Math.round(ms / 1000)} s` : ms < 5_400_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`;

export function checkDatabase(config: Config, now: number): Check {
  try {
    const blocked = storagePathProblem(config.storage.path);
    if (blocked) return { name: 'database', ok: false, detail: `storage.path ${config.storage.path} cannot be used: ${blocked}` };
    const i = Store.inspect(config.storage.path);
    if (!i.exists) return { name: 'database', ok: true, detail: `${config.storage.path} does not exist yet; it is created at first start` };
    const ok = i.integrity === 'ok' && i.schemaVersion <= i.latestVersion;
    const last = i.latestStream ? `, last session #${i.latestStream.id} seen ${ago(now - i.latestStream.lastSeenAt)} ago` : '';
    const pending = i.schemaVersion < i.latestVersion ? ` (migrations ${i.schemaVersion + 1}..${i.latestVersion} will run at start)` : '';
    return {
      name: 'database',
      ok,
      detail: `${config.storage.path}: schema v${i.schemaVersion}${pending}, integrity ${i.integrity}, ${i.streams} stream sessions${last}`,
    };
  } catch (err) {
    return { name: 'database', ok: false, detail: `${config.storage.path}: ${toError(err).message}` };
  }
}

/** Whether `start` could listen on the dashboard's address: free, taken by the running service (fine), or taken by another program. */
export async function checkDashboard(config: Config, now: number): Promise<Check | undefined> {
  const { enabled, host, port } = config.dashboard;
  if (!enabled) return undefined;
  const where = `dashboard.port ${port} on ${host}`;
  const code = await new Promise<string | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (code === undefined) return { name: 'dashboard', ok: true, detail: `${where} is free` };
  if (code === 'EADDRINUSE') {
    let beat: number | undefined;
    try {
      beat = Store.inspect(config.storage.path).heartbeatAt;
    } catch {
      beat = undefined;
    }
    if (beat !== undefined && now - beat < ALIVE_WITHIN_MS)
      return { name: 'dashboard', ok: true, detail: `${where} is the running service's (it said so ${ago(now - beat)} ago)` };
    return { name: 'dashboard', ok: false, detail: `${where} is in use by another program: change dashboard.port in the config, or stop that program` };
  }
  return { name: 'dashboard', ok: false, detail: `${where} cannot be used (${code}): change dashboard.host or dashboard.port` };
}

/** Connects to Twitch chat the way `start` would, joins, and leaves. */
export async function checkTwitch(config: Config, connectMs = 10_000): Promise<Check | undefined> {
  const t = config.twitch;
  if (!t) return undefined;
  const logger = silentLogger();
  const health = new Health(systemClock);
  const guard = createGuard(logger, health);
  // The token `start` would use (a linked account's is refreshed when due). Without one,
  // reachability and the channel are still checked, anonymously.
  const { token, username: user } = twitchCredentials(config, { clock: systemClock, logger, guard, health });
  const username = token ? user : undefined;
  const platform = new TwitchPlatform({
    channel: t.channel,
    username,
    token,
    server: t.server,
    reconnect: { initialMs: 60_000, maxMs: 60_000 },
    joinTimeoutMs: t.joinTimeoutSeconds * 1000,
    clock: systemClock,
    logger,
    guard,
    health,
  });
  const where = `${t.server.host}:${t.server.port}`;
  try {
    // Long enough for a JOIN nobody answers to be told apart from a slow server.
    await Promise.race([platform.start(), new Promise((r) => setTimeout(r, connectMs + t.joinTimeoutSeconds * 1000).unref())]);
    const s = platform.status();
    if (s.state === 'failed' && health.list().some((p) => p.code === 'PLATFORM_CHANNEL_UNAVAILABLE'))
      return { name: 'twitch', ok: false, detail: `reached ${where}, but ${s.detail}` };
    if (s.state !== 'connected') return { name: 'twitch', ok: false, detail: `cannot reach Twitch chat at ${where} (${s.detail ?? 'no answer'})` };
    const who = username
      ? `as ${username}`
      : t.username
        ? 'anonymously (no token for twitch.username yet: see the secrets check)'
        : 'anonymously (read-only: set twitch.username and TWITCH_OAUTH_TOKEN to answer)';
    const roles = s.botRoles.length
      ? `; the bot is ${s.botRoles.join(', ')} there (100 messages per 30 s)`
      : t.username
        ? '; the bot has no role there (20 messages per 30 s; make it a moderator or VIP for more)'
        : '';
    return { name: 'twitch', ok: true, detail: `reached ${where} and joined #${t.channel} ${who}${roles}`, ...(username ? { botRoles: s.botRoles } : {}) };
  } catch (err) {
    return { name: 'twitch', ok: false, detail: toError(err).message };
  } finally {
    await platform.stop();
  }
}

/** Looks the video (or broadcast) up with one cheap call and reports credentials and quota. */
export async function checkYouTube(config: Config, now: number): Promise<Check | undefined> {
  const y = config.youtube;
  if (!y) return undefined;
  const { oauth, apiKey } = youtubeCredentials(config);
  const api = new YouTubeApi({ apiRoot: y.apiRoot, apiKey, oauth, timeoutMs: 10_000 });
  // A linked account that `start` would not use: the client's variables are missing.
  const linkedUnused =
    !oauth && new TokenStore(dataPaths(config).tokens).get('youtube') !== undefined
      ? ' (a YouTube account is linked, but YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET are not set: set them to answer)'
      : '';
  const creds = oauth?.readOnly
    ? 'OAuth, read-only (linked with --read-only): the bot cannot answer on YouTube'
    : oauth
      ? 'OAuth (reads and replies)'
      : apiKey
        ? `API key only: read-only, the bot cannot answer on YouTube${linkedUnused}`
        : `no credentials${linkedUnused}`;
  let quota = '';
  try {
    const used = Store.inspect(config.storage.path, pacificDay(now).day).quota['youtube']?.units ?? 0;
    quota = `; quota today ${used} of ${y.quota.dailyUnits} units used (resets at midnight Pacific)`;
  } catch {
    // The database check reports its own problems.
  }
  try {
    let where: string;
    if (y.liveChatId) {
      await api.listMessages(y.liveChatId, undefined);
      where = `live chat ${y.liveChatId} answers`;
    } else {
      // The same look `start` makes (a throw-away ledger: doctor's few units are not recorded).
      const ledger = new Map<string, { units: number; replyUnits: number }>();
      const planner = new QuotaPlanner({
        dailyUnits: y.quota.dailyUnits,
        replyReserve: 0,
        costs: y.quota.costs,
        plannedStreamMs: 3_600_000,
        clock: systemClock,
        ledger: {
          get: (day) => ledger.get(day) ?? { units: 0, replyUnits: 0 },
          add: (day, units) => ledger.set(day, { units: (ledger.get(day)?.units ?? 0) + units, replyUnits: 0 }),
        },
      });
      const finder = new ChatFinder({ videoId: y.videoId, broadcast: y.broadcast, channelId: y.channelId }, planner);
      const v = await finder.check(api);
      where = v
        ? `${finder.where()} is live${v.title ? ` ("${v.title}")` : ''} (chat ${v.liveChatId})`
        : `${finder.where()} is not live yet; start waits for it (${unitsText(finder.unitsPerCheck())})`;
    }
    return { name: 'youtube', ok: true, detail: `reached ${y.apiRoot}: ${where}; ${creds}${quota}` };
  } catch (err) {
    const reason = err instanceof YouTubeApiError ? err.reason : 'internal';
    if (reason === 'videoNotFound') return { name: 'youtube', ok: false, detail: `YouTube has no video ${y.videoId}: check youtube.videoId` };
    if (reason === 'channelNotFound') return { name: 'youtube', ok: false, detail: `YouTube has no channel ${y.channelId}: check youtube.channelId` };
    if (!oauth && !apiKey && err instanceof YouTubeApiError && err.status > 0) {
      return { name: 'youtube', ok: false, detail: `reached ${y.apiRoot}, but without credentials nothing can be looked up: see the secrets check` };
    }
    const hint =
      reason === 'invalid_grant'
        ? ': the refresh token is revoked or expired (consent screens left in "Testing" issue refresh tokens that die after 7 days); run `lectern auth youtube` again'
        : reason === 'authError'
          ? ': the credentials were rejected (check YOUTUBE_API_KEY or the OAuth variables)'
          : reason === 'quotaExceeded'
            ? ': the quota is spent until midnight Pacific'
            : '';
    return { name: 'youtube', ok: false, detail: `${y.apiRoot}: ${toError(err).message}${hint}` };
  }
}

const unitsText = (n: number) => `${plural(n, 'quota unit')} a check`;

/** Where YouTube chat is looked for, in the order `start` uses (see ChatFinder), with what one look costs. */
export function youtubeSource(y: NonNullable<Config['youtube']>): string {
  const c = y.quota.costs;
  if (y.videoId) return `video ${y.videoId} (${unitsText(c.videos)})`;
  if (y.liveChatId) return `live chat ${y.liveChatId} (no look-up needed)`;
  if (y.channelId) return `the live stream of channel ${y.channelId} (found with ${unitsText(c.playlistItems + c.videos)})`;
  return `your active broadcast (broadcast: mine, ${unitsText(c.broadcasts)})`;
}

export function describeConfig(config: Config): Check {
  const parts: string[] = [];
  if (config.twitch) {
    const t = config.twitch;
    const token = config.secrets.twitchToken ? 'TWITCH_OAUTH_TOKEN set' : t.auth ? 'account linked with `lectern auth twitch`' : 'no token';
    parts.push(`twitch #${t.channel} ${t.username ? `as ${t.username}, ${token}` : 'anonymous (read-only)'}`);
  }
  if (config.youtube) {
    const y = config.youtube;
    const src = youtubeSource(y);
    const s = config.secrets;
    const creds = s.youtubeClientId && s.youtubeClientSecret ? 'OAuth variables set' : s.youtubeApiKey ? 'YOUTUBE_API_KEY set (read-only)' : 'no credentials';
    parts.push(`youtube ${src}, transport ${y.transport}, ${creds}`);
  }
  parts.push(`${config.commands.custom.length} custom commands, prefix "${config.commands.prefix}"`);
  return { name: 'config', ok: true, detail: `${config.source}: ${parts.join('; ')}` };
}

export function checkKnowledge(config: Config): Check | undefined {
  const k = config.knowledge;
  if (k.notes.length + k.feeds.length + k.links.length === 0) return undefined;
  const s = loadKnowledge(config).stats();
  const feeds = s.feeds.length ? `; ${s.feeds.filter((f) => f.fetchedAt !== null).length} of ${plural(s.feeds.length, 'feed')} cached` : '';
  const failed = s.failedFiles.length ? `; could not read: ${s.failedFiles.map((f) => `${f.file} (${f.error})`).join(', ')}` : '';
  return {
    name: 'knowledge',
    ok: s.failedFiles.length === 0,
    detail: `${plural(s.notes, 'note')} (${plural(s.sections, 'section')}), ${plural(s.articles, 'article')}, ${plural(s.links, 'link')} indexed${feeds}${failed}`,
  };
}

/** Linked accounts: which, scopes, expiry; never a token. */
export function checkAccounts(config: Config, now: number): Check | undefined {
  const accounts = new TokenStore(dataPaths(config).tokens).describe();
  const env = [config.secrets.twitchToken ? 'TWITCH_OAUTH_TOKEN' : '', config.secrets.youtubeRefreshToken ? 'YOUTUBE_REFRESH_TOKEN' : ''].filter(Boolean);
  if (accounts.length === 0 && env.length === 0) return undefined;
  // The bot speaks as the linked Twitch account: say so when it is not twitch.username.
  const wanted = config.twitch?.username;
  const speaksAs = (a: (typeof accounts)[number]) =>
    a.account === 'twitch' && !config.secrets.twitchToken && a.login && wanted && a.login.toLowerCase() !== wanted.toLowerCase() ? a.login : undefined;
  const parts = accounts.map((a) => {
    const expiry = a.expiresAt
      ? a.expiresAt > now
        ? `, token valid ${Math.round((a.expiresAt - now) / 60_000)} min more`
        : ', token expired (refreshed at start)'
      : '';
    const other = speaksAs(a);
    const mismatch = other ? `; the bot speaks as ${other}, not twitch.username ${wanted}: run \`lectern auth twitch\` logged in as ${wanted}` : '';
    return `${a.account}${a.login ? ` (${a.login})` : ''}: ${a.scopes.join(' ') || 'no scopes'}${expiry}${a.hasRefresh ? '' : ', no refresh token'}${mismatch}`;
  });
  if (env.length) parts.push(`from the environment (these win): ${env.join(', ')}`);
  return { name: 'accounts', ok: !accounts.some(speaksAs), detail: parts.join('; ') };
}

/** Values of `config/lectern.example.yaml` that stand for the streamer's own: left in, the bot would post them. */
const PLACEHOLDERS = ['yourchannel', 'yourbot', 'github.com/you/', 'you.substack.com', 'discord.gg/example'];

/** The example config's stand-in values still in the config, each with its key: a failed check. */
export function checkPlaceholders(config: Config): Check | undefined {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const hit = PLACEHOLDERS.find((p) => value.toLowerCase().includes(p));
      if (hit) found.push(`${path} (${hit})`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  // Secrets are never read from the file: nothing to look at there.
  const { secrets: _secrets, ...rest } = config;
  walk(rest, '');
  if (found.length === 0) return undefined;
  return {
    name: 'example',
    ok: false,
    detail: `still the example's stand-ins, which the bot would post as they are: ${found.join(', ')}; put your own there, or remove them`,
  };
}

/** Each secret the config needs and the environment lacks, as a failed check with the fix. */
export function checkSecrets(config: Config): Check[] {
  return credentialProblems(config).map((p) => ({ name: 'secrets', ok: false, detail: `${p.path}: ${p.message}` }));
}

export async function runDoctor(config: Config, now = Date.now()): Promise<Check[]> {
  const missing = checkSecrets(config);
  const secrets = missing.length
    ? missing
    : [{ name: 'secrets', ok: true, detail: 'every secret this config needs is in the environment (or a linked account)' }];
  const checks: Check[] = [describeConfig(config), ...secrets, checkDatabase(config, now)];
  const placeholders = checkPlaceholders(config);
  if (placeholders) checks.push(placeholders);
  const accounts = checkAccounts(config, now);
  if (accounts) checks.push(accounts);
  const knowledge = checkKnowledge(config);
  if (knowledge) checks.push(knowledge);
  const dashboard = await checkDashboard(config, now);
  if (dashboard) checks.push(dashboard);
  const [twitch, youtube] = await Promise.all([checkTwitch(config), checkYouTube(config, now)]);
  if (twitch) checks.push(twitch);
  if (youtube) checks.push(youtube);
  const links = checkLinkProtection(config, twitch?.botRoles);
  if (links) checks.push(links);
  return checks;
}
