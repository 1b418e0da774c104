import { streamVodLink, type BacklogDraft, type ExportData } from '../export/index.js';
import type { Store } from '../store/index.js';
import type { Backlog } from './backlog.js';

/**
 * The open backlog items of one topic (or all) across streams, as a post draft's data: best first,
 * each with every time it was asked and the VOD link of that moment.
 */
export function backlogDraft(store: Store, backlog: Backlog, topic: string | null, vodUrl: ExportData['vodUrl'], now: number): BacklogDraft {
  const { items } = backlog.list({ state: 'open', topic: topic ?? undefined });
  const viewers = new Set<string>();
  for (const e of items) for (const q of backlog.questions(e.id)) for (const a of store.questions.askers(q.id)) viewers.add(`${a.platform}:${a.authorId}`);
  return {
    generatedAt: now,
    topic,
    viewers: viewers.size,
    items: items.map((e) => ({
      id: e.id,
      text: e.text,
      score: e.score,
      askerCount: e.askerCount,
      votes: e.votes,
      paid: e.paid,
      topics: e.topics,
      note: e.note,
      answeredBy: e.answeredBy,
      asked: backlog.questions(e.id).map((q) => ({
        streamId: q.streamId,
        number: q.number,
        askedAt: new Date(q.createdAt).toISOString(),
        vodLink: streamVodLink(store, q.streamId, [q.platform], q.createdAt, vodUrl) ?? null,
      })),
    })),
  };
}
