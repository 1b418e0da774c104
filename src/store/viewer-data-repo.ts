import type { Db } from './database.js';
import { toRow, type QuestionRow, type Raw } from './questions-rows.js';

/** A question by where chat saw it. */
export interface QuestionRef {
  readonly id: number;
  readonly streamId: number;
  readonly number: number;
}

/** What erasing one viewer changed, table by table. */
export interface ForgetResult {
  /** Questions only this viewer asked, as they were: erased with their votes. */
  readonly deleted: readonly QuestionRow[];
  /** Questions others asked too: kept for them, without this viewer (the next asker shown first). */
  readonly unasked: readonly QuestionRef[];
  /** Questions still there that lost this viewer's vote. */
  readonly unvoted: readonly QuestionRef[];
  /** Votes withdrawn (on kept questions and on erased ones). */
  readonly votes: number;
  readonly followUps: number;
  /** Backlog items left with no question, dropped; items whose text was this viewer's, given another asking's. */
  readonly itemsDropped: number;
  readonly itemsRetexted: number;
  readonly proposals: number;
  /** Topics no longer credited to the viewer (`set_by`). */
  readonly topics: number;
  /** The overlay's question, when it was one of the erased ones. */
  readonly highlights: number;
}

/**
 * Every table that holds a viewer's account id or name, read and erased in one place
 * (`lectern forget`): questions and their askers, votes, follow-ups, the backlog items made of the
 * viewer's questions, the topics a moderator set. Nothing else in the schema names a viewer.
 */
export class ViewerDataRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      accounts: db.prepare<[string, string, string, string], { id: string; name: string | null }>(
        `SELECT author_id AS id, author_name AS name FROM question_askers WHERE platform = ?
         UNION SELECT author_id, author_name FROM questions WHERE platform = ?
         UNION SELECT author_id, author_name FROM follow_ups WHERE platform = ?
         UNION SELECT voter_id, NULL FROM question_votes WHERE platform = ?`,
      ),
      setters: db.prepare<[string, string], { set_by: string }>(`SELECT DISTINCT set_by FROM topics WHERE substr(set_by, 1, length(?) + 1) = ? || ':'`),
      asked: db.prepare<[string, string], { n: number; last: number | null }>(
        'SELECT count(*) AS n, max(asked_at) AS last FROM question_askers WHERE platform = ? AND author_id = ?',
      ),
      voted: db.prepare<[string, string], { n: number; last: number | null }>(
        'SELECT count(*) AS n, max(voted_at) AS last FROM question_votes WHERE platform = ? AND voter_id = ?',
      ),
      touched: db.prepare<[string, string, string, string], { id: number }>(
        'SELECT question_id AS id FROM question_askers WHERE platform = ? AND author_id = ? UNION SELECT id FROM questions WHERE platform = ? AND author_id = ?',
      ),
      votedOn: db.prepare<[string, string], { id: number }>('SELECT question_id AS id FROM question_votes WHERE platform = ? AND voter_id = ?'),
      unvote: db.prepare<[string, string]>('DELETE FROM question_votes WHERE platform = ? AND voter_id = ?'),
      unask: db.prepare<[string, string]>('DELETE FROM question_askers WHERE platform = ? AND author_id = ?'),
      askersLeft: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM question_askers WHERE question_id = ?'),
      row: db.prepare<[number], Raw & { item_id: number | null }>('SELECT q.*, 0 AS highlighted FROM questions q WHERE q.id = ?'),
      dropVotes: db.prepare<[number]>('DELETE FROM question_votes WHERE question_id = ?'),
      unhighlight: db.prepare<[number]>('UPDATE highlights SET question_id = NULL WHERE question_id = ?'),
      dropQuestion: db.prepare<[number]>('DELETE FROM questions WHERE id = ?'),
      // Counts kept equal to the rows they count; the payment shown is the best remaining asker's.
      recount: db.prepare<[number, number, number]>(`
        UPDATE questions SET
          asker_count = (SELECT count(*) FROM question_askers WHERE question_id = ?),
          votes = (SELECT count(*) FROM question_votes WHERE question_id = ?)
        WHERE id = ?`),
      bestPaid: db.prepare<[number, number]>(`
        UPDATE questions SET (paid_platform, paid_amount, paid_currency, paid_display, paid_tier) = (
          SELECT platform, paid_amount, paid_currency, paid_display, paid_tier FROM question_askers
          WHERE question_id = ? ORDER BY paid_tier DESC, asked_at LIMIT 1)
        WHERE id = ?`),
      firstAsker: db.prepare<[number, number]>(`
        UPDATE questions SET (platform, author_id, author_name, message_id) = (
          SELECT platform, author_id, author_name, message_id FROM question_askers WHERE question_id = ? ORDER BY asked_at LIMIT 1)
        WHERE id = ?`),
      followUps: db.prepare<[string, string]>('DELETE FROM follow_ups WHERE platform = ? AND author_id = ?'),
      unset: db.prepare<[string]>('UPDATE topics SET set_by = NULL WHERE set_by = ?'),
      firstText: db.prepare<[number], { text: string }>('SELECT text FROM questions WHERE item_id = ? ORDER BY created_at, id LIMIT 1'),
      item: db.prepare<[number], { id: number; text: string }>('SELECT id, text FROM backlog_items WHERE id = ?'),
      mergedInto: db.prepare<[number], { id: number; text: string }>('SELECT id, text FROM backlog_items WHERE merged_into = ?'),
      setText: db.prepare<[string, number]>('UPDATE backlog_items SET text = ? WHERE id = ?'),
      dropProposals: db.prepare<[number]>('DELETE FROM answer_proposals WHERE item_id = ?'),
      dropItemFollowUps: db.prepare<[number]>('DELETE FROM follow_ups WHERE item_id = ?'),
      dropItem: db.prepare<[number]>('DELETE FROM backlog_items WHERE id = ?'),
      mentions: db.prepare<[string], { id: number; stream_id: number; number: number }>(
        'SELECT id, stream_id, number FROM questions WHERE instr(lower(text), ?) > 0 ORDER BY stream_id, number',
      ),
    };
  }

  /** Every account of a platform with each name it was seen under (a voter's id comes without one). */
  accounts(platform: string): Array<{ id: string; name: string | null }> {
    return this.s.accounts.all(platform, platform, platform, platform);
  }

  /** Who set topics on a platform, as `platform:login`. */
  setters(platform: string): string[] {
    return this.s.setters.all(platform, platform).map((r) => r.set_by);
  }

  /** How much one account left: questions asked (merges included), votes, when last seen. */
  summary(platform: string, id: string): { questions: number; votes: number; lastSeen: number | null } {
    const a = this.s.asked.get(platform, id)!;
    const v = this.s.voted.get(platform, id)!;
    const last = Math.max(a.last ?? -Infinity, v.last ?? -Infinity);
    return { questions: a.n, votes: v.n, lastSeen: Number.isFinite(last) ? last : null };
  }

  /** Other questions whose text contains `word` (lower case), e.g. someone addressing the viewer. */
  mentioning(word: string): QuestionRef[] {
    return this.s.mentions.all(word).map((r) => ({ id: r.id, streamId: r.stream_id, number: r.number }));
  }

  /**
   * Erases one viewer in every stream, in one transaction: their votes, their askership of every
   * question (a question only they asked is erased, with its votes; one others asked too stays for
   * them), their follow-ups, and the topics credited to them (`setBy`: the exact `platform:login`
   * values). Backlog items left without a question are dropped with their proposals (and the items
   * merged into them); an item whose text was one of the erased questions takes its first remaining
   * question's text.
   */
  forget(platform: string, id: string | null, setBy: readonly string[]): ForgetResult {
    return this.db
      .transaction(() => {
        const votedOn = id === null ? [] : this.s.votedOn.all(platform, id).map((r) => r.id);
        const votes = id === null ? 0 : this.s.unvote.run(platform, id).changes;
        const touched = id === null ? [] : this.s.touched.all(platform, id, platform, id).map((r) => r.id);
        if (id !== null) this.s.unask.run(platform, id);
        const deleted: QuestionRow[] = [];
        const items = new Set<number>();
        const unasked: QuestionRef[] = [];
        let highlights = 0;
        for (const qid of touched) {
          const raw = this.s.row.get(qid)!;
          const row = toRow(raw);
          if (this.s.askersLeft.get(qid)!.n === 0) {
            this.s.dropVotes.run(qid);
            highlights += this.s.unhighlight.run(qid).changes;
            this.s.dropQuestion.run(qid);
            deleted.push(row);
            if (raw.item_id !== null) items.add(raw.item_id);
            continue;
          }
          if (row.platform === platform && row.authorId === id) this.s.firstAsker.run(qid, qid);
          this.s.recount.run(qid, qid, qid);
          this.s.bestPaid.run(qid, qid);
          unasked.push({ id: qid, streamId: row.streamId, number: row.number });
        }
        const gone = new Set(deleted.map((q) => q.id));
        const unvoted: QuestionRef[] = [];
        for (const qid of votedOn) {
          if (gone.has(qid)) continue;
          this.s.recount.run(qid, qid, qid);
          const r = this.s.row.get(qid)!;
          unvoted.push({ id: qid, streamId: r.stream_id, number: r.number });
        }
        const followUps = id === null ? 0 : this.s.followUps.run(platform, id).changes;
        let topics = 0;
        for (const who of setBy) topics += this.s.unset.run(who).changes;
        return { deleted, unasked, unvoted, votes, followUps, ...this.cleanItems(items, deleted), topics, highlights };
      })
      .immediate();
  }

  private cleanItems(items: ReadonlySet<number>, deleted: readonly QuestionRow[]): Pick<ForgetResult, 'itemsDropped' | 'itemsRetexted' | 'proposals'> {
    const texts = new Set(deleted.map((q) => q.text));
    const out = { itemsDropped: 0, itemsRetexted: 0, proposals: 0 };
    const drop = (itemId: number) => {
      for (const from of this.s.mergedInto.all(itemId)) drop(from.id);
      out.proposals += this.s.dropProposals.run(itemId).changes;
      this.s.dropItemFollowUps.run(itemId);
      this.s.dropItem.run(itemId);
      out.itemsDropped++;
    };
    // Items merged into this one keep the text of their own first asking: not this viewer's either.
    const retext = (itemId: number, text: string) => {
      for (const from of this.s.mergedInto.all(itemId)) {
        if (texts.has(from.text)) {
          this.s.setText.run(text, from.id);
          out.itemsRetexted++;
        }
        retext(from.id, text);
      }
    };
    for (const itemId of items) {
      const item = this.s.item.get(itemId);
      if (!item) continue;
      const first = this.s.firstText.get(itemId);
      if (!first) {
        drop(itemId);
        continue;
      }
      let text = item.text;
      if (texts.has(item.text)) {
        text = first.text;
        this.s.setText.run(text, itemId);
        out.itemsRetexted++;
      }
      retext(itemId, text);
    }
    return out;
  }
}
