import { isLecternError, LecternError, toError, type PlatformId } from '../core/index.js';
import { credentialProblems, durations, type Config, type ConfigProblem } from '../config/index.js';
import { createPlatform } from './platforms.js';
import type { Runtime } from './runtime.js';
import type { Services } from './services.js';

/** What a reload did: the key paths that changed, the platforms reconnected, what waits for a restart. */
export interface ReloadReport {
  readonly ok: boolean;
  readonly changed: readonly string[];
  readonly reconnected: readonly PlatformId[];
  /** Changed keys that only a restart applies (the database, the dashboard's address…). */
  readonly restart: readonly string[];
  readonly problems: readonly ConfigProblem[];
}

/** Sections applied at once: their services read the config when they act, or are told. */
const LIVE = new Set(['commands', 'timers', 'questions', 'knowledge', 'moderation', 'topic']);
/** Sections whose platform is set up again (and only that one). */
const PLATFORMS = new Set<PlatformId>(['twitch', 'youtube']);

/** The key paths whose values differ: mappings are walked, lists and values compared whole. */
export function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'secrets' && k !== 'source');
    return keys.flatMap((k) => changedPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '(root)'];
}

/**
 * What the running bot refuses in a new config that the schema cannot see: a command named like
 * a built-in, an unknown variable, a timer whose command does not exist, a secret a new platform
 * needs. Nothing is applied when there is one.
 */
export function reloadProblems(next: Config, s: Services): ConfigProblem[] {
  const names = new Set(next.commands.custom.flatMap((c) => [c.name, ...c.aliases]));
  const hasCommand = (n: string) => names.has(n) || s.commands.storedHas(n);
  return [...s.commands.configProblems(next.commands.custom), ...s.timers.book.configProblems(next.timers, hasCommand), ...credentialProblems(next)];
}

/** Sets a platform up again from `next` (or takes it away when its section is gone); only that one. */
async function reconnect(id: PlatformId, next: Config, s: Services, rt: Runtime): Promise<void> {
  const old = s.connected.get(id);
  if (old) {
    s.bot.detach(id);
    s.connected.delete(id);
    s.moderators.delete(id);
    old.outbox.stop();
    old.linked?.stop();
    await old.platform.stop().catch((err: unknown) => rt.health.report(`${id}.stop`, err));
  }
  if (!next[id]) return;
  const c = createPlatform(id, next, rt, s.store, s.tokens);
  s.connected.set(id, c);
  s.bot.attach(c.platform, c.outbox);
  s.moderators.set(id, c.moderator);
  if (c.linked) {
    if (!c.linked.linked)
      throw new LecternError('PLATFORM_AUTH_FAILED', 'No Twitch account is linked yet: run `lectern auth twitch` (or set TWITCH_OAUTH_TOKEN)');
    await c.linked.startValidating();
  }
  await c.platform.start();
}

/**
 * Applies a valid new config to the running services: commands, cooldowns and the prefix, timers,
 * questions, knowledge, link protection and the topic settings at once; a platform whose settings
 * changed is reconnected (the other keeps running); what needs a restart is named. The caller has
 * already made `next` the config that `live()` returns.
 */
export async function applyConfig(old: Config, next: Config, s: Services, rt: Runtime): Promise<ReloadReport> {
  const changed = changedPaths(old, next);
  const sections = new Set(changed.map((p) => p.split(/[.[]/)[0]!));
  const restart = changed.filter((p) => {
    const section = p.split(/[.[]/)[0]!;
    return !LIVE.has(section) && !PLATFORMS.has(section as PlatformId);
  });
  if (sections.has('commands')) {
    s.router.configure({ prefix: next.commands.prefix, flood: { count: next.commands.floodLimit.count, windowMs: durations(next).floodWindowMs } });
    s.commands.setConfig(next.commands.custom);
  }
  // Timers after commands: a timer may name a command the same reload added.
  if (sections.has('timers')) s.timers.book.setConfig(next.timers);
  if (sections.has('questions'))
    s.questions.configure({
      maxLength: next.questions.maxLength,
      perViewer: { count: next.questions.perViewer.count, windowMs: durations(next).perViewerQuestionsMs },
    });
  if (sections.has('knowledge')) {
    const d = durations(next);
    s.knowledge.reconfigure({ ...next.knowledge, feedRefreshMs: d.feedRefreshMs, feedTimeoutMs: d.feedTimeoutMs });
  }
  const reconnected = [...PLATFORMS].filter((id) => sections.has(id));
  for (const id of reconnected) {
    try {
      await reconnect(id, next, s, rt);
    } catch (err) {
      rt.health.report(id, err);
      // A refusal Lectern explains is its sentence; only what nobody foresaw carries a stack trace.
      rt.logger.error(
        { platform: id, ...(isLecternError(err) ? { code: err.code, reason: err.message } : { err: toError(err) }) },
        'could not reconnect after the config changed',
      );
    }
  }
  if (reconnected.length) s.timers.timers.set(s.timers.book.all());
  return { ok: true, changed, reconnected, restart, problems: [] };
}
