import { dataPaths, type Config } from './config/index.js';
import { createGuard, Health, silentLogger, systemClock, type Clock, type Guard, type Logger } from './core/index.js';
import { KnowledgeBase, type KnowledgeOptions } from './knowledge/index.js';

/** A config's knowledge section as KnowledgeBase options (feeds cached next to the database). */
export function createKnowledge(
  config: Config,
  deps: { clock: Clock; logger: Logger; guard: Guard; health: Health; onNoteSaved?: KnowledgeOptions['onNoteSaved'] },
): KnowledgeBase {
  const k = config.knowledge;
  return new KnowledgeBase({
    notes: k.notes,
    feeds: k.feeds,
    links: k.links,
    cacheDir: dataPaths(config).feedCache,
    feedRefreshMs: k.feedRefreshMinutes * 60_000,
    feedTimeoutMs: k.feedTimeoutSeconds * 1000,
    ...deps,
  });
}

/** The knowledge base of a config, loaded from disk only: notes, links and cached feeds. */
export function loadKnowledge(config: Config): KnowledgeBase {
  const logger = silentLogger();
  const health = new Health(systemClock);
  const kb = createKnowledge(config, { clock: systemClock, logger, guard: createGuard(logger, health), health });
  kb.start({ watch: false, fetchFeeds: false });
  return kb;
}
