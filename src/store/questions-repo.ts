import type { Db } from './database.js';
import { toAsker, toRow, type Asker, type NewQuestion, type QuestionRow, type QuestionState, type Raw, type RawAsker } from './questions-rows.js';

export { questionScore, type Asker, type NewQuestion, type PaidRow, type QuestionRow, type QuestionSource, type QuestionState } from './questions-rows.js';

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
      // A new question has its first asker already counted, and that asker's payment.
      insert: db.prepare<
        [
          number,
          number,
          string,
          string,
          string,
          string,
          number,
          number,
          number | null,
          string,
          string,
          string | null,
          number | null,
          string | null,
          string | null,
          number,
        ]
      >(
        'INSERT INTO questions (stream_id, number, platform, author_id, author_name, text, created_at, offset_seconds, topic_id, source, message_id, asker_count, paid_platform, paid_amount, paid_currency, paid_display, paid_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)',
      ),
      asker: db.prepare<[number, string, string, string, number, string, number | null, string | null, string | null, number]>(
        'INSERT OR IGNORE INTO question_askers (question_id, platform, author_id, author_name, asked_at, message_id, paid_amount, paid_currency, paid_display, paid_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      countAsker: db.prepare<[number]>('UPDATE questions SET asker_count = asker_count + 1 WHERE id = ?'),
      // The question carries the payment of its best-paying asker (first asker wins a tie).
      bestPaid: db.prepare<[number, number]>(`
        UPDATE questions SET (paid_platform, paid_amount, paid_currency, paid_display, paid_tier) = (
          SELECT platform, paid_amount, paid_currency, paid_display, paid_tier FROM question_askers
          WHERE question_id = ? ORDER BY paid_tier DESC, asked_at LIMIT 1)
        WHERE id = ?`),
      unAsk: db.prepare<[number, string, string]>('DELETE FROM question_askers WHERE question_id = ? AND platform = ? AND author_id = ?'),
      uncountAsker: db.prepare<[number]>('UPDATE questions SET asker_count = asker_count - 1 WHERE id = ?'),
      // When the first asker goes, the question is shown as asked by the next one.
      firstAsker: db.prepare<[number, number]>(`
        UPDATE questions SET (platform, author_id, author_name, message_id) = (
          SELECT platform, author_id, author_name, message_id FROM question_askers WHERE question_id = ? ORDER BY asked_at LIMIT 1)
        WHERE id = ?`),
      byMessage: db.prepare<[number, string, string], RawAsker>(
        'SELECT a.* FROM question_askers a JOIN questions q ON q.id = a.question_id WHERE q.stream_id = ? AND a.platform = ? AND a.message_id = ?',
      ),
      byAuthor: db.prepare<[number, string, string], RawAsker>(
        'SELECT a.* FROM question_askers a JOIN questions q ON q.id = a.question_id WHERE q.stream_id = ? AND a.platform = ? AND a.author_id = ?',
      ),
      votesBy: db.prepare<[number, string, string], { question_id: number }>(
        'SELECT v.question_id FROM question_votes v JOIN questions q ON q.id = v.question_id WHERE q.stream_id = ? AND v.platform = ? AND v.voter_id = ?',
      ),
      unvote: db.prepare<[number, string, string]>('DELETE FROM question_votes WHERE question_id = ? AND platform = ? AND voter_id = ?'),
      uncountVote: db.prepare<[number]>('UPDATE questions SET votes = votes - 1 WHERE id = ?'),
      countVote: db.prepare<[number]>('UPDATE questions SET votes = votes + 1 WHERE id = ?'),
      isAsker: db.prepare<[number, string, string], { one: number }>(
        'SELECT 1 AS one FROM question_askers WHERE question_id = ? AND platform = ? AND author_id = ?',
      ),
      vote: db.prepare<[number, string, string, number]>(
        'INSERT OR IGNORE INTO question_votes (question_id, platform, voter_id, voted_at) VALUES (?, ?, ?, ?)',
      ),
      state: db.prepare<[string, number, number]>('UPDATE questions SET state = ?, state_at = ? WHERE id = ?'),
      byId: db.prepare<[number], Raw>(`${SELECT} WHERE q.id = ?`),
      byNumber: db.prepare<[number, number], Raw>(`${SELECT} WHERE q.stream_id = ? AND q.number = ?`),
      list: db.prepare<[number], Raw>(`${SELECT} WHERE q.stream_id = ? ORDER BY q.number`),
      open: db.prepare<[number], Raw>(`${SELECT} WHERE q.stream_id = ? AND q.state = 'open' ORDER BY q.number`),
      // Best first (the score as questionScore computes it), then the earlier one.
      pageOpen: db.prepare<[number, number, number], Raw>(
        `${SELECT} WHERE q.stream_id = ? AND q.state = 'open' ORDER BY q.votes + q.asker_count + q.paid_tier DESC, q.number LIMIT ? OFFSET ?`,
      ),
      pageClosed: db.prepare<[number, number, number], Raw>(
        `${SELECT} WHERE q.stream_id = ? AND q.state IN ('answered', 'dismissed') ORDER BY q.state_at DESC, q.number DESC LIMIT ? OFFSET ?`,
      ),
      highlighted: db.prepare<[number], Raw>(`${SELECT} WHERE q.stream_id = ? AND h.question_id IS NOT NULL`),
      countOpen: db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM questions WHERE stream_id = ? AND state = 'open'`),
      countClosed: db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM questions WHERE stream_id = ? AND state IN ('answered', 'dismissed')`),
      askers: db.prepare<[number], RawAsker>('SELECT * FROM question_askers WHERE question_id = ? ORDER BY asked_at'),
      moveSince: db.prepare<[number, number, number, number]>(
        'UPDATE questions SET stream_id = ?, topic_id = NULL, offset_seconds = max(0, (created_at - ?) / 1000) WHERE stream_id = ? AND created_at >= ?',
      ),
      highlight: db.prepare<[number, number | null, number]>(
        'INSERT INTO highlights (stream_id, question_id, at) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET question_id = excluded.question_id, at = excluded.at',
      ),
    };
    const addAsker = (questionId: number, a: Asker): boolean => {
      const p = a.paid;
      const added =
        this.s.asker.run(
          questionId,
          a.platform,
          a.authorId,
          a.authorName,
          a.askedAt,
          a.messageId,
          p?.amount ?? null,
          p?.currency ?? null,
          p?.display ?? null,
          p?.tier ?? 0,
        ).changes === 1;
      if (added) {
        this.s.countAsker.run(questionId);
        if (p) this.s.bestPaid.run(questionId, questionId);
      }
      return added;
    };
    // Built from what was written, not read back: this runs for every question-like chat line.
    this.createRaw = (q: NewQuestion): QuestionRow => {
      const number = this.nextNumber(q.streamId);
      const paid = q.paid ?? null;
      const id = Number(
        this.s.insert.run(
          q.streamId,
          number,
          q.platform,
          q.authorId,
          q.authorName,
          q.text,
          q.createdAt,
          q.offsetSeconds,
          q.topicId,
          q.source,
          q.messageId,
          paid?.platform ?? null,
          paid?.amount ?? null,
          paid?.currency ?? null,
          paid?.display ?? null,
          paid?.tier ?? 0,
        ).lastInsertRowid,
      );
      this.s.asker.run(
        id,
        q.platform,
        q.authorId,
        q.authorName,
        q.createdAt,
        q.messageId,
        paid?.amount ?? null,
        paid?.currency ?? null,
        paid?.display ?? null,
        paid?.tier ?? 0,
      );
      this.numbers.set(q.streamId, number + 1);
      // Written out rather than spread: on Node 20 `{ ...q, more }` takes V8's slow path (~15 µs).
      return {
        streamId: q.streamId,
        platform: q.platform,
        authorId: q.authorId,
        authorName: q.authorName,
        text: q.text,
        createdAt: q.createdAt,
        offsetSeconds: q.offsetSeconds,
        topicId: q.topicId,
        source: q.source,
        messageId: q.messageId,
        paid,
        id,
        number,
        state: 'open',
        stateAt: null,
        askerCount: 1,
        votes: 0,
        highlighted: false,
      };
    };
    this.createTx = db.transaction(this.createRaw);
    this.askerTx = db.transaction(addAsker);
    this.unAskTx = db.transaction((questionId: number, platform: string, authorId: string): number => {
      if (this.s.unAsk.run(questionId, platform, authorId).changes !== 1) return -1;
      this.s.uncountAsker.run(questionId);
      const q = this.get(questionId)!;
      if (q.askerCount > 0) {
        if (q.platform === platform && q.authorId === authorId) this.s.firstAsker.run(questionId, questionId);
        this.s.bestPaid.run(questionId, questionId);
      }
      return q.askerCount;
    });
    this.unvoteTx = db.transaction((streamId: number, platform: string, voterId: string): number[] => {
      const ids = this.s.votesBy.all(streamId, platform, voterId).map((r) => r.question_id);
      for (const id of ids) {
        this.s.unvote.run(id, platform, voterId);
        this.s.uncountVote.run(id);
      }
      return ids;
    });
    this.voteTx = db.transaction((questionId: number, platform: string, voterId: string, at: number): boolean => {
      const added = this.s.vote.run(questionId, platform, voterId, at).changes === 1;
      if (added) this.s.countVote.run(questionId);
      return added;
    });
  }

  /** The next number of each stream's questions (only the service creates questions). */
  private readonly numbers = new Map<number, number>();

  private nextNumber(streamId: number): number {
    let n = this.numbers.get(streamId);
    if (n === undefined) this.numbers.set(streamId, (n = this.s.nextNumber.get(streamId)!.n));
    return n;
  }

  // Transactions are built once: creating one per call costs more than the writes inside.
  private readonly createTx: (q: NewQuestion) => QuestionRow;
  private readonly createRaw: (q: NewQuestion) => QuestionRow;
  private readonly askerTx: (questionId: number, a: Asker) => boolean;
  private readonly voteTx: (questionId: number, platform: string, voterId: string, at: number) => boolean;
  private readonly unAskTx: (questionId: number, platform: string, authorId: string) => number;
  private readonly unvoteTx: (streamId: number, platform: string, voterId: string) => number[];

  /**
   * Takes a viewer off a question's askers (their message was deleted, or they were banned).
   * Returns how many askers are left, or -1 if they were not one.
   */
  removeAsker(questionId: number, platform: string, authorId: string): number {
    return this.unAskTx(questionId, platform, authorId);
  }

  /** The asker of a stream's question by the message that asked it, if any. */
  askerByMessage(streamId: number, platform: string, messageId: string): (Asker & { questionId: number }) | undefined {
    const a = this.s.byMessage.get(streamId, platform, messageId);
    return a ? { ...toAsker(a), questionId: a.question_id } : undefined;
  }

  /** The stream's questions a viewer asked (or was merged into). */
  askedBy(streamId: number, platform: string, authorId: string): number[] {
    return this.s.byAuthor.all(streamId, platform, authorId).map((a) => a.question_id);
  }

  /** Withdraws a viewer's votes on a stream's questions; returns the questions they were on. */
  withdrawVotes(streamId: number, platform: string, voterId: string): number[] {
    return this.unvoteTx(streamId, platform, voterId);
  }

  /** Inserts a question with its first asker and gives it the stream's next number. */
  create(q: NewQuestion): QuestionRow {
    // Inside a batch's transaction already (detected questions): no savepoint per question.
    return this.db.inTransaction ? this.createRaw(q) : this.createTx(q);
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

  /** The question on the overlay, if any. */
  highlighted(streamId: number): QuestionRow | undefined {
    const r = this.s.highlighted.get(streamId);
    return r ? toRow(r) : undefined;
  }

  /** A page of a stream's open questions (best first) or closed ones (latest first). */
  page(streamId: number, which: 'open' | 'closed', offset: number, limit: number): { total: number; items: QuestionRow[] } {
    const [page, count] = which === 'open' ? [this.s.pageOpen, this.s.countOpen] : [this.s.pageClosed, this.s.countClosed];
    return { total: count.get(streamId)!.n, items: page.all(streamId, limit, offset).map(toRow) };
  }

  /**
   * A broadcast that began before Lectern saw it go live: the questions of session `from` asked
   * since `since` belong to session `to`. They keep their numbers (viewers were told them), lose
   * the old session's topic and count their offsets from `startedAt`. Returns how many moved.
   */
  moveSince(from: number, to: number, since: number, startedAt: number): number {
    const moved = this.s.moveSince.run(to, startedAt, from, since).changes;
    this.numbers.delete(from);
    this.numbers.delete(to);
    return moved;
  }

  askers(questionId: number): Asker[] {
    return this.s.askers.all(questionId).map(toAsker);
  }
}
