import type { Store } from '../store/index.js';
import type { Backlog, Link } from './backlog.js';
import { engagementReport, type EngagementReport } from './engagement.js';

/**
 * Engagement by topic with the backlog's view of what is unanswered: a topic's open question
 * counts while its backlog item is open (a post or a live answer in a later stream closes it).
 */
export function topicsReport(store: Store, backlog: Backlog, noteFor?: (text: string) => Link | null): EngagementReport {
  const states = new Map(backlog.list({ state: 'all' }).items.map((e) => [e.id, e.state]));
  const unanswered = new Map<number, number>();
  for (const q of store.engagement.openQuestions()) {
    if (q.itemId !== null && states.get(store.backlog.resolve(q.itemId) ?? q.itemId) !== 'open') continue;
    unanswered.set(q.topicId, (unanswered.get(q.topicId) ?? 0) + 1);
  }
  return engagementReport(store.engagement.topics(), { unanswered: (id) => unanswered.get(id) ?? 0, noteFor });
}
