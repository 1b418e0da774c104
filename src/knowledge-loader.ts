import { dirname, join } from 'node:path';
import type { Config } from './config/index.js';
import { createGuard, Health, silentLogger, systemClock } from './core/index.js';
import { KnowledgeBase } from './knowledge/index.js';

/** The knowledge base of a config, loaded from disk only: notes, links and cached feeds. */
export function loadKnowledge(config: Config): KnowledgeBase {
  const logger = silentLogger();
  const health = new Health(systemClock);
  const k = config.knowledge;
  const kb = new KnowledgeBase({
    notes: k.notes,
    feeds: k.feeds,
    links: k.links,
    cacheDir: join(dirname(config.storage.path), 'feeds'),
    feedRefreshMs: k.feedRefreshMinutes * 60_000,
    feedTimeoutMs: k.feedTimeoutSeconds * 1000,
    clock: systemClock,
    logger,
    guard: createGuard(logger, health),
    health,
  });
  kb.start({ watch: false, fetchFeeds: false });
  return kb;
}
