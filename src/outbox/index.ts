export { Outbox, type Reply, type OutboxOptions, type OutboxStats } from './outbox.js';
export { splitMessage, safeOutgoing } from './split.js';
