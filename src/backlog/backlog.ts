import { LecternError, type Clock } from '../core/index.js';
import { keywords, SIMILARITY_THRESHOLD } from '../questions/index.js';
import { topicKey } from '../topics/index.js';
import { OpenQuestions } from '../questions/open-index.js';
import type { BacklogRow, ItemQuestion, Store } from '../store/index.js';
import { DEFAULT_HALF_LIFE_DAYS } from './rank.js';
import { toEntry, type BacklogEntry, type EntryState, type Link } from './entry.js';

export type { BacklogEntry, EntryState, Link } from './entry.js';

/** Scores fade with time: the entries read are computed again at least this often. */
const ENTRIES_TTL_MS = 60_000;

export interface BacklogOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly halfLifeDays?: number;
  /** The note section for a text (the knowledge base's best section), when notes are loaded. */
  readonly noteFor?: (text: string) => Link | null;
  /** Changes when the notes change: the sections matched so far are looked for again. */
  readonly notesVersion?: () => number;
  readonly threshold?: number;
  /**
   * How many new questions a read places first: all of them (the CLI), or at most this many (the
   * service, which places the rest in the background: a flood of questions never makes a read slow).
   */
  readonly placeOnRead?: number;
}

export interface ListOptions {
  readonly state?: EntryState | 'all';
  /** Only items asked under this topic (compared without case and punctuation). */
  readonly topic?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * Every question across streams as backlog items: the same question asked in several streams is
 * one item (the stream's own merge rules, across streams). Questions join items lazily (`sync`),
 * off the path of chat, in one transaction that holds the write lock so that the service and a
 * CLI command never both assign the same question.
 */
export class Backlog {
  /** The open items' questions, indexed for matching, valid while nobody else wrote. */
  private index: { readonly questions: OpenQuestions; readonly itemOf: Map<number, number>; readonly version: number } | undefined;
  private readonly notes = new Map<number, Link | null>();
  private notesSeen = -1;
  /** The last question placed by a limited `sync`. */
  private cursor = 0;
  /** The items as last computed, valid while nothing changed them (`changed`, another writer, time). */
  private cached: { readonly dv: number; readonly local: number; readonly at: number; readonly entries: BacklogEntry[] } | undefined;
  private local = 0;

  constructor(private readonly opts: BacklogOptions) {}

  private get repo() {
    return this.opts.store.backlog;
  }

  private place(): void {
    this.sync(this.opts.placeOnRead);
  }

  /** Something changed the questions (a state, a vote, a removal): items are computed again when read. */
  changed(): void {
    this.local++;
  }

  /** A question may wait behind the last one placed (restored after moderation): look at them all again. */
  rescan(): void {
    this.cursor = 0;
  }

  /**
   * Puts questions not in an item yet into one; returns how many it placed. With a `limit` (the
   * service's background placing, a batch at a time so that a flood of questions costs chat
   * little), it goes on from the last question it placed; without, it looks at every question.
   */
  sync(limit?: number): number {
    const from = limit === undefined ? 0 : this.cursor;
    // Nothing waits (the usual case): no write lock taken.
    if (this.repo.unassigned(from, 1).length === 0) return 0;
    const placed = this.opts.store.immediate(() => {
      const pending = this.repo.unassigned(from, limit ?? -1);
      if (pending.length === 0) return { n: 0, last: from };
      const index = this.openIndex();
      for (const q of pending) {
        const words = keywords(q.text);
        const similar = index.questions.findSimilar(q.text, words);
        const itemId = similar === undefined ? this.repo.createItem(q.text, q.createdAt) : index.itemOf.get(similar)!;
        this.repo.assign(q.id, itemId);
        index.questions.add(q.id, q.text, words);
        index.itemOf.set(q.id, itemId);
      }
      return { n: pending.length, last: pending[pending.length - 1]!.id };
    });
    // Moved on only once the batch is committed.
    if (limit !== undefined) this.cursor = Math.max(this.cursor, placed.last);
    if (placed.n > 0) this.local++;
    return placed.n;
  }

  private openIndex() {
    const version = this.repo.dataVersion();
    if (this.index && this.index.version === version) return this.index;
    const questions = new OpenQuestions(this.opts.threshold ?? SIMILARITY_THRESHOLD);
    const itemOf = new Map<number, number>();
    for (const m of this.repo.openMembers()) {
      questions.add(m.questionId, m.text);
      itemOf.set(m.questionId, m.itemId);
    }
    this.index = { questions, itemOf, version };
    return this.index;
  }

  /**
   * Rows were erased by this process (a viewer forgotten): what is kept in memory is read again, and
   * questions are looked at from the start (SQLite gives an erased last row's id to the next one).
   */
  invalidate(): void {
    this.index = undefined;
    this.notes.clear();
    this.cursor = 0;
    this.local++;
  }

  /** Items, best first (after placing new questions). */
  list(o: ListOptions = {}): { readonly total: number; readonly items: BacklogEntry[] } {
    this.place();
    const want = o.state ?? 'open';
    const topic = o.topic === undefined ? undefined : topicKey(o.topic);
    const all = this.entries().filter(
      (e) => (want === 'all' || e.state === want) && (topic === undefined || (topic !== '' && e.topics.some((t) => topicKey(t) === topic))),
    );
    const offset = o.offset ?? 0;
    // The note section is looked for only for the items returned.
    return { total: all.length, items: all.slice(offset, o.limit === undefined ? undefined : offset + o.limit).map((e) => this.withNote(e)) };
  }

  /** The topics the items were asked under (for a filter), from the items as last computed. */
  topicNames(): string[] {
    this.place();
    return [...new Set(this.entries().flatMap((e) => e.topics))].sort((a, b) => a.localeCompare(b));
  }

  get(id: number): BacklogEntry | undefined {
    this.place();
    const resolved = this.repo.resolve(id);
    if (resolved === undefined) return undefined;
    const row = this.repo.item(resolved);
    return row ? this.withNote(this.entry(row, this.repo.topics(resolved), this.repo.paid(resolved))) : undefined;
  }

  /** The questions an item holds, oldest first (as placed so far). */
  questions(id: number): ItemQuestion[] {
    const resolved = this.repo.resolve(id);
    return resolved === undefined ? [] : this.repo.questions(resolved);
  }

  /** Every item, best first: computed again only when something changed, or a minute later (scores fade). */
  private entries(): BacklogEntry[] {
    const dv = this.repo.dataVersion();
    const now = this.opts.clock.now();
    const c = this.cached;
    if (c && c.dv === dv && c.local === this.local && now - c.at < ENTRIES_TTL_MS) return c.entries;
    const topics = this.repo.topics();
    const paid = this.repo.paid();
    const entries = this.repo.items().map((r) => this.entry(r, topics, paid));
    entries.sort((a, b) => b.score - a.score || a.id - b.id);
    this.cached = { dv, local: this.local, at: now, entries };
    return entries;
  }

  private entry(r: BacklogRow, topics: Map<number, string[]>, paid: Map<number, Array<{ display: string }>>): BacklogEntry {
    return toEntry(
      r,
      topics.get(r.id) ?? [],
      (paid.get(r.id) ?? []).map((p) => p.display),
      this.opts.clock.now(),
      this.opts.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
    );
  }

  /** The entry with its note section (the search's best section for its text), kept until the notes change. */
  private withNote(e: BacklogEntry): BacklogEntry {
    if (!this.opts.noteFor) return e;
    const version = this.opts.notesVersion?.() ?? 0;
    if (version !== this.notesSeen) {
      this.notes.clear();
      this.notesSeen = version;
    }
    let note = this.notes.get(e.id);
    if (note === undefined) {
      note = this.opts.noteFor(e.text);
      this.notes.set(e.id, note);
    }
    return { ...e, note };
  }

  /** The item an id stands for (after merges); NOT_FOUND when there is none, or nothing is left of it. */
  private existing(id: number): number {
    this.place();
    const resolved = this.repo.resolve(id);
    if (resolved === undefined || !this.repo.item(resolved)) throw new LecternError('NOT_FOUND', `There is no backlog item #${id}`);
    return resolved;
  }

  /**
   * Marks an item answered: by a post (its URL; the askers get a follow-up in a later stream) or
   * by hand (answered on stream, without a link).
   */
  answer(id: number, by: Link | 'live'): BacklogEntry {
    const item = this.existing(id);
    // An answer is given once: replacing it would drop the post and the follow-ups it promised.
    const current = this.get(item)!;
    if (current.state !== 'open') {
      const was = current.answeredBy ? `answered by ${current.answeredBy.url}` : current.state === 'answered' ? 'answered on stream' : 'dismissed';
      throw new LecternError('INVALID_INPUT', `#${id} is already ${was}: reopen it first to answer it again`);
    }
    const now = this.opts.clock.now();
    this.opts.store.transaction(() => {
      if (by === 'live') this.repo.setState(item, 'answered', now);
      else {
        this.repo.setState(item, 'answered', now, { url: checkUrl(by.url), title: by.title.trim() || by.url });
        this.repo.addFollowUps(item, now);
      }
    });
    this.index = undefined;
    this.local++;
    return this.get(item)!;
  }

  dismiss(id: number): BacklogEntry {
    const item = this.existing(id);
    this.opts.store.transaction(() => this.repo.setState(item, 'dismissed', this.opts.clock.now()));
    this.index = undefined;
    this.local++;
    return this.get(item)!;
  }

  /** Back to open (Undo): follow-ups not told yet are cancelled; earlier live answers stop counting. */
  reopen(id: number): BacklogEntry {
    const item = this.existing(id);
    this.opts.store.transaction(() => this.repo.reopen(item, this.opts.clock.now()));
    this.index = undefined;
    this.local++;
    return this.get(item)!;
  }

  /** Merges `from` into `into`: one item with both items' questions, askers and votes. */
  merge(from: number, into: number): BacklogEntry {
    const a = this.existing(from);
    const b = this.existing(into);
    if (a === b) throw new LecternError('INVALID_INPUT', `#${from} and #${into} are already one item`);
    // Only open items merge: an answer (and the follow-ups it owes) belongs to what was answered.
    for (const [asked, resolved] of [
      [from, a],
      [into, b],
    ] as const) {
      if (this.get(resolved)?.state !== 'open') throw new LecternError('INVALID_INPUT', `#${asked} is not open: reopen it first to merge it`);
    }
    this.repo.merge(a, b);
    this.notes.delete(a);
    this.notes.delete(b);
    this.index = undefined;
    this.local++;
    return this.get(b)!;
  }

  /** The post that answers the item a question belongs to, for exports. */
  answeredBy(questionId: number): Link | null {
    const item = this.repo.itemOf(questionId);
    const resolved = item === null ? undefined : this.repo.resolve(item);
    return resolved === undefined ? null : this.repo.answeredBy(resolved);
  }

  /** Proposals waiting for the streamer: a new post that may answer an item. */
  proposals() {
    return this.repo.proposals();
  }

  /** The streamer confirms a proposal: the item is answered by that post. */
  confirm(itemId: number, url: string): BacklogEntry {
    const item = this.existing(itemId);
    const title = this.repo.proposalTitle(item, url);
    if (title === undefined) throw new LecternError('NOT_FOUND', `No post ${url} was proposed for #${itemId}`);
    // Confirmed first: answering drops the item's other proposals, the pending ones.
    this.repo.setProposal(item, url, 'confirmed');
    return this.answer(item, { url, title });
  }

  reject(itemId: number, url: string): void {
    const item = this.existing(itemId);
    if (this.repo.proposalTitle(item, url) === undefined || !this.repo.setProposal(item, url, 'rejected'))
      throw new LecternError('NOT_FOUND', `No post ${url} was proposed for #${itemId}`);
  }

  /**
   * New articles from a feed: each is matched against the open items with the search index
   * (`bestArticle(text)`: the article the search ranks first for an item's text), and proposed
   * for the items it answers. A feed's articles at its first look (the first ever, or a feed
   * added to the config later) are only remembered: its history proposes nothing. Returns how
   * many proposals were made.
   */
  articlesArrived(feedUrl: string, articles: ReadonlyArray<Link>, bestArticle: (text: string) => (Link & { score: number }) | undefined): number {
    if (articles.length === 0) return 0;
    const now = this.opts.clock.now();
    const first = this.repo.seeFeed(feedUrl, now);
    const fresh = new Set(
      this.repo.see(
        articles.map((a) => a.url),
        now,
      ),
    );
    if (first || fresh.size === 0) return 0;
    let made = 0;
    for (const item of this.list().items) {
      const best = bestArticle(item.text);
      if (best && fresh.has(best.url) && this.repo.propose(item.id, best.url, best.title, best.score, now)) made++;
    }
    return made;
  }
}

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new LecternError('INVALID_INPUT', `"${url.slice(0, 80)}" is not a URL: expected http:// or https://`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new LecternError('INVALID_INPUT', `"${url.slice(0, 80)}" is not a URL: expected http:// or https://`);
  return u.toString();
}
