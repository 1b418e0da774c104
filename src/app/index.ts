export { App, SHUTDOWN_BOUNDS, type AppDeps, type ConfigState } from './app.js';
export { changedPaths, type ReloadReport } from './reload.js';
export { allowedDomains } from './links.js';
export type { DomainEvents } from './events.js';
export { createRuntime, type Runtime } from './runtime.js';
export { createKnowledge, loadKnowledge } from './knowledge.js';
export { noteFinder, articleFinder } from './backlog.js';
export { ALIVE_WITHIN_MS, claimDatabase } from './single-service.js';
