import type { Db } from './database.js';
import type { BacklogRow, FollowUpRow, ItemQuestion, ItemState, ProposalRow, RawItem } from './backlog-rows.js';

export type { BacklogRow, FollowUpRow, ItemQuestion, ItemState, ProposalRow } from './backlog-rows.js';

// One row per item: its questions (removed ones left out) summed up. Live answers before the
// item was reopened do not count. The stream of the latest live answer is picked separately.
const ITEMS = `
  SELECT i.id, i.text, i.created_at, i.state, i.state_at, i.answered_url, i.answered_title, i.reopened_at,
    count(q.id) AS members,
    coalesce(sum(q.state = 'open'), 0) AS open_members,
    coalesce(sum(q.state = 'dismissed'), 0) AS dismissed_members,
    max(CASE WHEN q.state = 'dismissed' THEN q.state_at END) AS dismissed_at,
    max(CASE WHEN q.state = 'answered' AND q.state_at > coalesce(i.reopened_at, 0) THEN q.state_at END) AS answered_live_at,
    max(CASE WHEN q.state = 'open' THEN q.created_at END) AS last_open_at,
    group_concat(DISTINCT q.stream_id) AS stream_ids,
    min(q.created_at) AS first_asked
  FROM backlog_items i JOIN questions q ON q.item_id = i.id AND q.state != 'removed'
  WHERE i.merged_into IS NULL`;

/** The backlog's tables: items, the questions' links to them, proposals, seen articles, follow-ups. */
export class BacklogRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      unassigned: db.prepare<[number, number], { id: number; text: string; created_at: number }>(
        `SELECT id, text, created_at FROM questions WHERE id > ? AND item_id IS NULL AND state != 'removed' ORDER BY id LIMIT ?`,
      ),
      openMembers: db.prepare<[], { id: number; item_id: number; text: string }>(
        `SELECT q.id, q.item_id, q.text FROM questions q JOIN backlog_items i ON i.id = q.item_id
         WHERE i.state = 'open' AND i.merged_into IS NULL AND q.state != 'removed'`,
      ),
      createItem: db.prepare<[string, number]>('INSERT INTO backlog_items (text, created_at) VALUES (?, ?)'),
      assign: db.prepare<[number, number]>('UPDATE questions SET item_id = ? WHERE id = ?'),
      items: db.prepare<[], RawItem>(`${ITEMS} GROUP BY i.id`),
      item: db.prepare<[number], RawItem>(`${ITEMS} AND i.id = ? GROUP BY i.id`),
      liveStream: db.prepare<[number, number], { stream_id: number }>(
        `SELECT stream_id FROM questions WHERE item_id = ? AND state = 'answered' AND state_at = ? LIMIT 1`,
      ),
      askers: db.prepare<[], { item_id: number; n: number; last: number }>(
        `SELECT q.item_id, count(DISTINCT a.platform || ':' || a.author_id) AS n, max(a.asked_at) AS last
         FROM question_askers a JOIN questions q ON q.id = a.question_id
         WHERE q.item_id IS NOT NULL AND q.state != 'removed' GROUP BY q.item_id`,
      ),
      votes: db.prepare<[], { item_id: number; n: number }>(
        `SELECT q.item_id, count(DISTINCT v.platform || ':' || v.voter_id) AS n
         FROM question_votes v JOIN questions q ON q.id = v.question_id
         WHERE q.item_id IS NOT NULL AND q.state != 'removed' GROUP BY q.item_id`,
      ),
      paid: db.prepare<[], { item_id: number; tier: number; display: string; currency: string; amount: number }>(
        `SELECT q.item_id, a.paid_tier AS tier, a.paid_display AS display, a.paid_currency AS currency, a.paid_amount AS amount
         FROM question_askers a JOIN questions q ON q.id = a.question_id
         WHERE q.item_id IS NOT NULL AND q.state != 'removed' AND a.paid_tier > 0 ORDER BY a.paid_tier DESC, a.asked_at`,
      ),
      topics: db.prepare<[], { item_id: number; title: string }>(
        `SELECT DISTINCT q.item_id, t.title FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.item_id IS NOT NULL AND q.state != 'removed' ORDER BY t.started_at`,
      ),
      askersOne: db.prepare<[number], { item_id: number; n: number; last: number }>(
        `SELECT q.item_id, count(DISTINCT a.platform || ':' || a.author_id) AS n, max(a.asked_at) AS last
         FROM question_askers a JOIN questions q ON q.id = a.question_id
         WHERE q.item_id = ? AND q.state != 'removed' GROUP BY q.item_id`,
      ),
      votesOne: db.prepare<[number], { item_id: number; n: number }>(
        `SELECT q.item_id, count(DISTINCT v.platform || ':' || v.voter_id) AS n
         FROM question_votes v JOIN questions q ON q.id = v.question_id
         WHERE q.item_id = ? AND q.state != 'removed' GROUP BY q.item_id`,
      ),
      paidOne: db.prepare<[number], { item_id: number; tier: number; display: string; currency: string; amount: number }>(
        `SELECT q.item_id, a.paid_tier AS tier, a.paid_display AS display, a.paid_currency AS currency, a.paid_amount AS amount
         FROM question_askers a JOIN questions q ON q.id = a.question_id
         WHERE q.item_id = ? AND q.state != 'removed' AND a.paid_tier > 0 ORDER BY a.paid_tier DESC, a.asked_at`,
      ),
      topicsOne: db.prepare<[number], { item_id: number; title: string }>(
        `SELECT DISTINCT q.item_id, t.title FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.item_id = ? AND q.state != 'removed' ORDER BY t.started_at`,
      ),
      questions: db.prepare<[number], { id: number; stream_id: number; number: number; text: string; state: string; created_at: number; platform: string }>(
        `SELECT id, stream_id, number, text, state, created_at, platform FROM questions WHERE item_id = ? AND state != 'removed' ORDER BY created_at`,
      ),
      itemOf: db.prepare<[number], { item_id: number | null }>('SELECT item_id FROM questions WHERE id = ?'),
      setState: db.prepare<[string, number, string | null, string | null, number]>(
        'UPDATE backlog_items SET state = ?, state_at = ?, answered_url = ?, answered_title = ? WHERE id = ?',
      ),
      reopen: db.prepare<[number, number, number]>(
        `UPDATE backlog_items SET state = 'open', state_at = ?, reopened_at = ?, answered_url = NULL, answered_title = NULL WHERE id = ?`,
      ),
      itemState: db.prepare<[number], { state: string; answered_url: string | null; answered_title: string | null }>(
        'SELECT state, answered_url, answered_title FROM backlog_items WHERE id = ?',
      ),
      exists: db.prepare<[number], { id: number; merged_into: number | null }>('SELECT id, merged_into FROM backlog_items WHERE id = ?'),
      moveQuestions: db.prepare<[number, number]>('UPDATE questions SET item_id = ? WHERE item_id = ?'),
      mergeInto: db.prepare<[number, number]>('UPDATE backlog_items SET merged_into = ? WHERE id = ?'),
      moveProposals: db.prepare<[number, number]>('UPDATE OR IGNORE answer_proposals SET item_id = ? WHERE item_id = ?'),
      dropProposals: db.prepare<[number]>(`DELETE FROM answer_proposals WHERE item_id = ? AND state = 'pending'`),
      propose: db.prepare<[number, string, string, number, number]>(
        'INSERT OR IGNORE INTO answer_proposals (item_id, url, title, score, proposed_at) VALUES (?, ?, ?, ?, ?)',
      ),
      proposals: db.prepare<[], { item_id: number; url: string; title: string; score: number; proposed_at: number; state: string }>(
        `SELECT p.* FROM answer_proposals p JOIN backlog_items i ON i.id = p.item_id
         WHERE p.state = 'pending' AND i.merged_into IS NULL AND i.state = 'open'
           AND EXISTS (SELECT 1 FROM questions q WHERE q.item_id = i.id AND q.state != 'removed')
         ORDER BY p.proposed_at, p.item_id`,
      ),
      proposal: db.prepare<[number, string], { title: string }>(`SELECT title FROM answer_proposals WHERE item_id = ? AND url = ? AND state = 'pending'`),
      setProposal: db.prepare<[string, number, string]>('UPDATE answer_proposals SET state = ? WHERE item_id = ? AND url = ?'),
      seeFeed: db.prepare<[string, number]>('INSERT OR IGNORE INTO seen_feeds (url, first_seen) VALUES (?, ?)'),
      see: db.prepare<[string, number]>('INSERT OR IGNORE INTO seen_articles (url, first_seen) VALUES (?, ?)'),
      // Every asker of the item's questions, once, with the latest stream they asked it in.
      addFollowUps: db.prepare<[number, number]>(
        `INSERT OR IGNORE INTO follow_ups (platform, author_id, item_id, author_name, asked_stream_id, asked_at, created_at)
         SELECT a.platform, a.author_id, q.item_id, a.author_name, max(q.stream_id), max(a.asked_at), ?
         FROM question_askers a JOIN questions q ON q.id = a.question_id
         WHERE q.item_id = ? AND q.state != 'removed' GROUP BY a.platform, a.author_id`,
      ),
      cancelFollowUps: db.prepare<[number]>('DELETE FROM follow_ups WHERE item_id = ? AND sent_at IS NULL'),
      pendingViewers: db.prepare<[], { platform: string; author_id: string }>('SELECT DISTINCT platform, author_id FROM follow_ups WHERE sent_at IS NULL'),
      pendingFor: db.prepare<
        [string, string],
        { platform: string; author_id: string; item_id: number; author_name: string; asked_stream_id: number; asked_at: number; url: string; title: string }
      >(
        `SELECT f.platform, f.author_id, f.item_id, f.author_name, f.asked_stream_id, f.asked_at, i.answered_url AS url, coalesce(i.answered_title, i.answered_url) AS title
         FROM follow_ups f JOIN backlog_items i ON i.id = f.item_id
         WHERE f.platform = ? AND f.author_id = ? AND f.sent_at IS NULL AND i.answered_url IS NOT NULL ORDER BY f.asked_at`,
      ),
      sentIn: db.prepare<[string, string, number], { one: number }>(
        'SELECT 1 AS one FROM follow_ups WHERE platform = ? AND author_id = ? AND sent_stream_id = ? LIMIT 1',
      ),
      markSent: db.prepare<[number, number, string, string, number]>(
        'UPDATE follow_ups SET sent_at = ?, sent_stream_id = ? WHERE platform = ? AND author_id = ? AND item_id = ?',
      ),
      followUps: db.prepare<[number], { platform: string; author_id: string; author_name: string; sent_at: number | null; sent_stream_id: number | null }>(
        'SELECT platform, author_id, author_name, sent_at, sent_stream_id FROM follow_ups WHERE item_id = ? ORDER BY asked_at',
      ),
      dataVersion: db.prepare<[], { data_version: number }>('PRAGMA data_version'),
    };
  }

  /** Questions not in an item yet (removed ones never are), oldest first: up to `limit` after question `afterId`. */
  unassigned(afterId = 0, limit = -1): Array<{ id: number; text: string; createdAt: number }> {
    return this.s.unassigned.all(afterId, limit).map((r) => ({ id: r.id, text: r.text, createdAt: r.created_at }));
  }

  /** The questions of items the streamer has not closed: what a new question can join. */
  openMembers(): Array<{ questionId: number; itemId: number; text: string }> {
    return this.s.openMembers.all().map((r) => ({ questionId: r.id, itemId: r.item_id, text: r.text }));
  }

  createItem(text: string, at: number): number {
    return Number(this.s.createItem.run(text, at).lastInsertRowid);
  }

  assign(questionId: number, itemId: number): void {
    this.s.assign.run(itemId, questionId);
  }

  /** The post an item was answered by, if it was. */
  answeredBy(itemId: number): { url: string; title: string } | null {
    const r = this.s.itemState.get(itemId);
    return r && r.state === 'answered' && r.answered_url ? { url: r.answered_url, title: r.answered_title ?? r.answered_url } : null;
  }

  itemOf(questionId: number): number | null {
    return this.s.itemOf.get(questionId)?.item_id ?? null;
  }

  /** Every item (merged ones left out) with its sums. */
  items(): BacklogRow[] {
    return this.withSums(this.s.items.all());
  }

  item(id: number): BacklogRow | undefined {
    const r = this.s.item.get(id);
    return r ? this.withSums([r], id)[0] : undefined;
  }

  /** The sums of `raws`: of every item, or (`one`) of that item alone, through its index. */
  private withSums(raws: RawItem[], one?: number): BacklogRow[] {
    if (raws.length === 0) return [];
    const askers = new Map((one === undefined ? this.s.askers.all() : this.s.askersOne.all(one)).map((r) => [r.item_id, r]));
    const votes = new Map((one === undefined ? this.s.votes.all() : this.s.votesOne.all(one)).map((r) => [r.item_id, r.n]));
    const tiers = new Map<number, number>();
    for (const p of one === undefined ? this.s.paid.all() : this.s.paidOne.all(one)) if (!tiers.has(p.item_id)) tiers.set(p.item_id, p.tier);
    return raws.map((r) => {
      const a = askers.get(r.id);
      return {
        id: r.id,
        text: r.text,
        createdAt: r.created_at,
        state: r.state as ItemState,
        stateAt: r.state_at,
        answeredUrl: r.answered_url,
        answeredTitle: r.answered_title,
        reopenedAt: r.reopened_at,
        members: r.members,
        openMembers: r.open_members,
        dismissedMembers: r.dismissed_members,
        dismissedAt: r.dismissed_at,
        answeredLiveAt: r.answered_live_at,
        answeredLiveStream: r.answered_live_at === null ? null : (this.s.liveStream.get(r.id, r.answered_live_at)?.stream_id ?? null),
        lastOpenAt: r.last_open_at,
        streamIds: r.stream_ids
          .split(',')
          .map(Number)
          .sort((x, y) => x - y),
        askerCount: a?.n ?? 0,
        votes: votes.get(r.id) ?? 0,
        paidTier: tiers.get(r.id) ?? 0,
        lastAskedAt: a?.last ?? r.first_asked,
        firstAskedAt: r.first_asked,
      };
    });
  }

  /** The topics each item's questions were asked under, in time order. */
  topics(itemId?: number): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const r of itemId === undefined ? this.s.topics.all() : this.s.topicsOne.all(itemId)) {
      const list = out.get(r.item_id) ?? [];
      if (!list.includes(r.title)) list.push(r.title);
      out.set(r.item_id, list);
    }
    return out;
  }

  /** What each item's askers paid, as the platforms stated it, best first. */
  paid(itemId?: number): Map<number, Array<{ display: string; currency: string; amount: number }>> {
    const out = new Map<number, Array<{ display: string; currency: string; amount: number }>>();
    for (const p of itemId === undefined ? this.s.paid.all() : this.s.paidOne.all(itemId)) {
      const list = out.get(p.item_id) ?? [];
      list.push({ display: p.display, currency: p.currency, amount: p.amount });
      out.set(p.item_id, list);
    }
    return out;
  }

  questions(itemId: number): ItemQuestion[] {
    return this.s.questions
      .all(itemId)
      .map((r) => ({ id: r.id, streamId: r.stream_id, number: r.number, text: r.text, state: r.state, createdAt: r.created_at, platform: r.platform }));
  }

  /** An item's id as it stands after merges (an item merged into another is that one), or undefined. */
  resolve(id: number): number | undefined {
    let row = this.s.exists.get(id);
    for (let hops = 0; row && row.merged_into !== null && hops < 100; hops++) row = this.s.exists.get(row.merged_into);
    return row?.id;
  }

  setState(id: number, state: ItemState, at: number, answered: { url: string; title: string } | null = null): void {
    this.s.setState.run(state, at, answered?.url ?? null, answered?.title ?? null, id);
    if (state !== 'answered' || !answered) this.s.cancelFollowUps.run(id);
    if (state !== 'open') this.s.dropProposals.run(id);
  }

  reopen(id: number, at: number): void {
    this.s.reopen.run(at, at, id);
    this.s.cancelFollowUps.run(id);
  }

  /** Moves `from`'s questions (and proposals) into `into`; `from` then resolves to `into`. */
  merge(from: number, into: number): void {
    this.db.transaction(() => {
      this.s.moveQuestions.run(into, from);
      this.s.moveProposals.run(into, from);
      this.s.dropProposals.run(from);
      this.s.mergeInto.run(into, from);
    })();
  }

  propose(itemId: number, url: string, title: string, score: number, at: number): boolean {
    return this.s.propose.run(itemId, url, title, score, at).changes === 1;
  }

  /** Proposals waiting for the streamer, on items still open. */
  proposals(): ProposalRow[] {
    return this.s.proposals
      .all()
      .map((r) => ({ itemId: r.item_id, url: r.url, title: r.title, score: r.score, proposedAt: r.proposed_at, state: r.state as ProposalRow['state'] }));
  }

  proposalTitle(itemId: number, url: string): string | undefined {
    return this.s.proposal.get(itemId, url)?.title;
  }

  setProposal(itemId: number, url: string, state: 'confirmed' | 'rejected'): boolean {
    return this.s.setProposal.run(state, itemId, url).changes === 1;
  }

  /** Records a feed as seen; true when it was seen for the first time. */
  seeFeed(url: string, at: number): boolean {
    return this.s.seeFeed.run(url, at).changes === 1;
  }

  /** Records articles as seen; returns the urls that were new. */
  see(urls: readonly string[], at: number): string[] {
    return this.db.transaction(() => urls.filter((u) => this.s.see.run(u, at).changes === 1))();
  }

  /** One follow-up for each asker of the item (already there: kept as is). */
  addFollowUps(itemId: number, at: number): void {
    this.s.addFollowUps.run(at, itemId);
  }

  /** Viewers with a follow-up not told yet. */
  pendingViewers(): Array<{ platform: string; authorId: string }> {
    return this.s.pendingViewers.all().map((r) => ({ platform: r.platform, authorId: r.author_id }));
  }

  /** A viewer's follow-ups not told yet, the oldest question first. */
  pendingFor(platform: string, authorId: string): FollowUpRow[] {
    return this.s.pendingFor.all(platform, authorId).map((r) => ({
      platform: r.platform,
      authorId: r.author_id,
      itemId: r.item_id,
      authorName: r.author_name,
      askedStreamId: r.asked_stream_id,
      askedAt: r.asked_at,
      url: r.url,
      title: r.title,
    }));
  }

  /** Whether a viewer was told a follow-up in this stream already. */
  toldIn(platform: string, authorId: string, streamId: number): boolean {
    return this.s.sentIn.get(platform, authorId, streamId) !== undefined;
  }

  markSent(f: Pick<FollowUpRow, 'platform' | 'authorId' | 'itemId'>, at: number, streamId: number): void {
    this.s.markSent.run(at, streamId, f.platform, f.authorId, f.itemId);
  }

  followUps(itemId: number): Array<{ platform: string; authorId: string; authorName: string; sentAt: number | null; sentStreamId: number | null }> {
    return this.s.followUps
      .all(itemId)
      .map((r) => ({ platform: r.platform, authorId: r.author_id, authorName: r.author_name, sentAt: r.sent_at, sentStreamId: r.sent_stream_id }));
  }

  /** Changes when another connection (the CLI, or the service) commits: caches read again. */
  dataVersion(): number {
    return this.s.dataVersion.get()!.data_version;
  }
}
