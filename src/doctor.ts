import { TwitchPlatform } from './platforms/twitch/index.js';
import type { Config } from './config/index.js';
import { createGuard, Health, silentLogger, systemClock, toError } from './core/index.js';
import { Store } from './store/index.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const ago = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : ms < 5_400_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);

export function checkDatabase(config: Config, now: number): Check {
  try {
    const i = Store.inspect(config.storage.path);
    if (!i.exists) return { name: 'database', ok: true, detail: `${config.storage.path} does not exist yet; it is created at first start` };
    const ok = i.integrity === 'ok' && i.schemaVersion <= i.latestVersion;
    const last = i.latestStream ? `, last session #${i.latestStream.id} seen ${ago(now - i.latestStream.lastSeenAt)} ago` : '';
    const pending = i.schemaVersion < i.latestVersion ? ` (migrations ${i.schemaVersion + 1}..${i.latestVersion} will run at start)` : '';
    return { name: 'database', ok, detail: `${config.storage.path}: schema v${i.schemaVersion}${pending}, integrity ${i.integrity}, ${i.streams} stream sessions${last}` };
  } catch (err) {
    return { name: 'database', ok: false, detail: `${config.storage.path}: ${toError(err).message}` };
  }
}

/** Connects to Twitch chat the way `start` would, joins, and leaves. */
export async function checkTwitch(config: Config, timeoutMs = 10_000): Promise<Check | undefined> {
  const t = config.twitch;
  if (!t) return undefined;
  const logger = silentLogger();
  const health = new Health(systemClock);
  const token = config.secrets.twitchToken;
  const platform = new TwitchPlatform({
    channel: t.channel,
    ...(t.username ? { username: t.username } : {}),
    ...(token ? { token: () => token } : {}),
    server: t.server,
    reconnect: { initialMs: 60_000, maxMs: 60_000 },
    clock: systemClock,
    logger,
    guard: createGuard(logger, health),
    health,
  });
  const where = `${t.server.host}:${t.server.port}`;
  try {
    await Promise.race([platform.start(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    const s = platform.status();
    if (s.state !== 'connected') return { name: 'twitch', ok: false, detail: `cannot reach Twitch chat at ${where} (${s.detail ?? 'no answer'})` };
    const who = t.username ? `as ${t.username}` : 'anonymously (read-only: set twitch.username and TWITCH_OAUTH_TOKEN to answer)';
    const roles = s.botRoles.length ? `; the bot is ${s.botRoles.join(', ')} there (100 messages per 30 s)` : t.username ? '; the bot has no role there (20 messages per 30 s; make it a moderator or VIP for more)' : '';
    return { name: 'twitch', ok: true, detail: `reached ${where} and joined #${t.channel} ${who}${roles}` };
  } catch (err) {
    return { name: 'twitch', ok: false, detail: toError(err).message };
  } finally {
    await platform.stop();
  }
}

export function describeConfig(config: Config): Check {
  const parts: string[] = [];
  if (config.twitch) {
    const t = config.twitch;
    parts.push(`twitch #${t.channel} ${t.username ? `as ${t.username}, TWITCH_OAUTH_TOKEN set` : 'anonymous (read-only)'}`);
  }
  parts.push(`${config.commands.custom.length} custom commands, prefix "${config.commands.prefix}"`);
  return { name: 'config', ok: true, detail: `${config.source}: ${parts.join('; ')}` };
}

export async function runDoctor(config: Config, now = Date.now()): Promise<Check[]> {
  const checks: Check[] = [describeConfig(config), checkDatabase(config, now)];
  const twitch = await checkTwitch(config);
  if (twitch) checks.push(twitch);
  return checks;
}
