import type { Db } from './database.js';

/** One topic of one stream with what happened while it ran (removed questions left out). */
export interface TopicEngagementRow {
  readonly topicId: number;
  readonly streamId: number;
  readonly title: string;
  readonly source: string;
  readonly startedAt: number;
  /** The next topic's start, or the stream's end (its last sign of life while it runs). */
  readonly endedAt: number;
  readonly lines: number;
  readonly chatters: number;
  readonly questions: number;
  readonly openQuestions: number;
  readonly votes: number;
  /** Paid with its questions, per currency (bits count as a currency), never converted. */
  readonly paid: ReadonlyArray<{ readonly currency: string; readonly amount: number }>;
}

interface Raw {
  topic_id: number;
  stream_id: number;
  title: string;
  source: string;
  started_at: number;
  ended_at: number;
  lines: number | null;
  chatters: number | null;
  questions: number;
  open_questions: number;
  votes: number;
}

/** Chat activity per topic, and the topics with their questions, for engagement by topic. */
export class EngagementRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      add: db.prepare<[number, number, number]>(
        `INSERT INTO topic_activity (topic_id, lines, chatters) VALUES (?, ?, ?)
         ON CONFLICT (topic_id) DO UPDATE SET lines = lines + excluded.lines, chatters = chatters + excluded.chatters`,
      ),
      topics: db.prepare<[], Raw>(`
        SELECT t.id AS topic_id, t.stream_id, t.title, t.source, t.started_at,
          coalesce(LEAD(t.started_at) OVER (PARTITION BY t.stream_id ORDER BY t.started_at, t.id), s.ended_at, s.last_seen_at) AS ended_at,
          a.lines, a.chatters, coalesce(qs.questions, 0) AS questions, coalesce(qs.open_questions, 0) AS open_questions, coalesce(qs.votes, 0) AS votes
        FROM topics t JOIN streams s ON s.id = t.stream_id LEFT JOIN topic_activity a ON a.topic_id = t.id
        LEFT JOIN (
          SELECT topic_id, count(*) AS questions, sum(state = 'open') AS open_questions, sum(votes) AS votes
          FROM questions WHERE topic_id IS NOT NULL AND state != 'removed' GROUP BY topic_id
        ) qs ON qs.topic_id = t.id
        ORDER BY t.stream_id, t.started_at, t.id`),
      paid: db.prepare<[], { topic_id: number; currency: string; amount: number }>(`
        SELECT q.topic_id, a.paid_currency AS currency, sum(a.paid_amount) AS amount
        FROM question_askers a JOIN questions q ON q.id = a.question_id
        WHERE q.topic_id IS NOT NULL AND q.state != 'removed' AND a.paid_tier > 0
        GROUP BY q.topic_id, a.paid_currency ORDER BY q.topic_id, a.paid_currency`),
      open: db.prepare<[], { topic_id: number; item_id: number | null }>(
        `SELECT topic_id, item_id FROM questions WHERE topic_id IS NOT NULL AND state = 'open'`,
      ),
    };
  }

  /** Adds chat lines and newly seen chatters to a topic. */
  addActivity(topicId: number, lines: number, chatters: number): void {
    if (lines > 0 || chatters > 0) this.s.add.run(topicId, lines, chatters);
  }

  /** The open questions asked under a topic, with their backlog item (null until placed). */
  openQuestions(): Array<{ topicId: number; itemId: number | null }> {
    return this.s.open.all().map((r) => ({ topicId: r.topic_id, itemId: r.item_id }));
  }

  topics(): TopicEngagementRow[] {
    const paid = new Map<number, Array<{ currency: string; amount: number }>>();
    for (const p of this.s.paid.all()) {
      const list = paid.get(p.topic_id) ?? [];
      list.push({ currency: p.currency, amount: p.amount });
      paid.set(p.topic_id, list);
    }
    return this.s.topics.all().map((r) => ({
      topicId: r.topic_id,
      streamId: r.stream_id,
      title: r.title,
      source: r.source,
      startedAt: r.started_at,
      endedAt: Math.max(r.started_at, r.ended_at),
      lines: r.lines ?? 0,
      chatters: r.chatters ?? 0,
      questions: r.questions,
      openQuestions: r.open_questions,
      votes: r.votes,
      paid: paid.get(r.topic_id) ?? [],
    }));
  }
}
