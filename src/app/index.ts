export { App, SHUTDOWN_BOUNDS, type AppDeps } from './app.js';
export type { DomainEvents } from './events.js';
export { createRuntime, type Runtime } from './runtime.js';
export { createKnowledge, loadKnowledge } from './knowledge.js';
export { noteFinder, articleFinder } from './backlog.js';
