import { dataPaths, durations, type Config } from '../config/index.js';
import { silentLogger, systemClock } from '../core/index.js';
import { KnowledgeBase, type KnowledgeOptions } from '../knowledge/index.js';
import { createRuntime, type Runtime } from './runtime.js';

/** A config's knowledge section as a KnowledgeBase (feeds cached next to the database). */
export function createKnowledge(config: Config, rt: Runtime, hooks: Pick<KnowledgeOptions, 'onNoteSaved' | 'onArticles'> = {}): KnowledgeBase {
  const k = config.knowledge;
  const d = durations(config);
  return new KnowledgeBase({
    notes: k.notes,
    feeds: k.feeds,
    links: k.links,
    cacheDir: dataPaths(config).feedCache,
    feedRefreshMs: d.feedRefreshMs,
    feedTimeoutMs: d.feedTimeoutMs,
    clock: rt.clock,
    logger: rt.logger,
    guard: rt.guard,
    health: rt.health,
    onNoteSaved: hooks.onNoteSaved,
    onArticles: hooks.onArticles,
  });
}

/** The knowledge base of a config, loaded from disk only: notes, links and cached feeds (search CLI, doctor). */
export function loadKnowledge(config: Config): KnowledgeBase {
  const kb = createKnowledge(config, createRuntime(silentLogger(), systemClock));
  kb.start({ watch: false, fetchFeeds: false });
  return kb;
}
