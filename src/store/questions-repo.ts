import type { Db } from './database.js';

export type QuestionState = 'open' | 'answered' | 'dismissed';
export type QuestionSource = 'command' | 'detected';

export interface Asker {
  readonly platform: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly askedAt: number;
  readonly messageId: string;
}

export interface NewQuestion {
  readonly streamId: number;
  readonly platform: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly text: string;
  readonly createdAt: number;
  readonly offsetSeconds: number;
  readonly topicId: number | null;
  readonly source: QuestionSource;
  readonly messageId: string;
}

export interface QuestionRow extends NewQuestion {
  readonly id: number;
  readonly number: number;
  readonly state: QuestionState;
  readonly stateAt: number | null;
  readonly askerCount: number;
  readonly votes: number;
  readonly highlighted: boolean;
}

/** A question's score: every viewer who asked it, plus every vote. */
export const questionScore = (q: Pick<QuestionRow, 'votes' | 'askerCount'>): number => q.votes + q.askerCount;

interface Raw {
  id: number;
  stream_id: number;
  number: number;
  platform: string;
  author_id: string;
  author_name: string;
  text: string;
  created_at: number;
  offset_seconds: number;
  topic_id: number | null;
  source: string;
  message_id: string;
  state: string;
  state_at: number | null;
  asker_count: number;
  votes: number;
  highlighted: number;
}

const toRow = (r: Raw): QuestionRow => ({
  id: r.id,
  streamId: r.stream_id,
  number: r.number,
  platform: r.platform,
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
  createdAt: r.created_at,
  offsetSeconds: r.offset_seconds,
  topicId: r.topic_id,
  source: r.source as QuestionSource,
  messageId: r.message_id,
  state: r.state as QuestionState,
  stateAt: r.state_at,
  askerCount: r.asker_count,
  votes: r.votes,
  highlighted: r.highlighted === 1,
});

// Counts live on the question row (updated in the same transaction as the rows they count), so
// reading a question is one indexed lookup: this runs for every question-like chat line.
const SELECT = `
  SELECT q.*, (h.question_id IS NOT NULL) AS highlighted
  FROM questions q LEFT JOIN highlights h ON h.stream_id = q.stream_id AND h.question_id = q.id`;

/** Questions, their askers and votes. Each write is one transaction, committed when it returns. */
export class QuestionsRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      nextNumber: db.prepare<[number], { n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM questions WHERE stream_id = ?'),
      insert: db.prepare(
        'INSERT INTO questions (stream_id, number, platform, author_id, author_name, text, created_at, offset_seconds, topic_id, source, message_id) VALUES (@streamId, @number, @platform, @authorId, @authorName, @text, @createdAt, @offsetSeconds, @topicId, @source, @messageId)',
      ),
      asker: db.prepare<[number, string, string, string, number, string]>(
        'INSERT OR IGNORE INTO question_askers (question_id, platform, author_id, author_name, asked_at, message_id) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      countAsker: db.prepare<[number]>('UPDATE questions SET asker_count = asker_count + 1 WHERE id = ?'),
      countVote: db.prepare<[number]>('UPDATE questions SET votes = votes + 1 WHERE id = ?'),
      isAsker: db.prepare<[number, string, string], { one: number }>('SELECT 1 AS one FROM question_askers WHERE question_id = ? AND platform = ? AND author_id = ?'),
      vote: db.prepare<[number, string, string, number]>('INSERT OR IGNORE INTO question_votes (question_id, platform, voter_id, voted_at) VALUES (?, ?, ?, ?)'),
      state: db.prepare<[string, number, number]>('UPDATE questions SET state = ?, state_at = ? WHERE id = ?'),
      byId: db.prepare<[number], Raw>(`${SELECT} WHERE q.id = ?`),
      byNumber: db.prepare<[number, number], Raw>(`${SELECT} WHERE q.stream_id = ? AND q.number = ?`),
      list: db.prepare<[number], Raw>(`${SELECT} WHERE q.stream_id = ? ORDER BY q.number`),
      open: db.prepare<[number], Raw>(`${SELECT} WHERE q.stream_id = ? AND q.state = 'open' ORDER BY q.number`),
      askers: db.prepare<[number], { platform: string; author_id: string; author_name: string; asked_at: number; message_id: string }>(
        'SELECT * FROM question_askers WHERE question_id = ? ORDER BY asked_at',
      ),
      highlight: db.prepare<[number, number | null, number]>('INSERT INTO highlights (stream_id, question_id, at) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET question_id = excluded.question_id, at = excluded.at'),
    };
    this.createTx = db.transaction((q: NewQuestion): QuestionRow => {
      const number = this.s.nextNumber.get(q.streamId)!.n;
      const id = Number(this.s.insert.run({ ...q, number }).lastInsertRowid);
      this.s.asker.run(id, q.platform, q.authorId, q.authorName, q.createdAt, q.messageId);
      this.s.countAsker.run(id);
      return this.get(id)!;
    });
    this.askerTx = db.transaction((questionId: number, a: Asker): boolean => {
      const added = this.s.asker.run(questionId, a.platform, a.authorId, a.authorName, a.askedAt, a.messageId).changes === 1;
      if (added) this.s.countAsker.run(questionId);
      return added;
    });
    this.voteTx = db.transaction((questionId: number, platform: string, voterId: string, at: number): boolean => {
      const added = this.s.vote.run(questionId, platform, voterId, at).changes === 1;
      if (added) this.s.countVote.run(questionId);
      return added;
    });
  }

  // Transactions are built once: creating one per call costs more than the writes inside.
  private readonly createTx: (q: NewQuestion) => QuestionRow;
  private readonly askerTx: (questionId: number, a: Asker) => boolean;
  private readonly voteTx: (questionId: number, platform: string, voterId: string, at: number) => boolean;

  /** Inserts a question with its first asker and gives it the stream's next number. */
  create(q: NewQuestion): QuestionRow {
    return this.createTx(q);
  }

  /** Adds an asker; false if that viewer already asked it. */
  addAsker(questionId: number, a: Asker): boolean {
    return this.askerTx(questionId, a);
  }

  isAsker(questionId: number, platform: string, authorId: string): boolean {
    return this.s.isAsker.get(questionId, platform, authorId) !== undefined;
  }

  /** Records a vote; false if that viewer already voted for it. */
  vote(questionId: number, platform: string, voterId: string, at: number): boolean {
    return this.voteTx(questionId, platform, voterId, at);
  }

  setState(questionId: number, state: QuestionState, at: number): void {
    this.s.state.run(state, at, questionId);
  }

  /** Puts one question on the overlay (or none), replacing the previous one. */
  highlight(streamId: number, questionId: number | null, at: number): void {
    this.s.highlight.run(streamId, questionId, at);
  }

  get(id: number): QuestionRow | undefined {
    const r = this.s.byId.get(id);
    return r ? toRow(r) : undefined;
  }

  byNumber(streamId: number, number: number): QuestionRow | undefined {
    const r = this.s.byNumber.get(streamId, number);
    return r ? toRow(r) : undefined;
  }

  list(streamId: number): QuestionRow[] {
    return this.s.list.all(streamId).map(toRow);
  }

  open(streamId: number): QuestionRow[] {
    return this.s.open.all(streamId).map(toRow);
  }

  askers(questionId: number): Asker[] {
    return this.s.askers.all(questionId).map((a) => ({ platform: a.platform, authorId: a.author_id, authorName: a.author_name, askedAt: a.asked_at, messageId: a.message_id }));
  }
}
