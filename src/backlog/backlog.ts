import { LecternError, type Clock } from '../core/index.js';
import { keywords, normalizeText, SIMILARITY_THRESHOLD } from '../questions/index.js';
import { OpenQuestions } from '../questions/open-index.js';
import type { BacklogRow, ItemQuestion, Store } from '../store/index.js';
import { backlogScore, DEFAULT_HALF_LIFE_DAYS } from './rank.js';

/** How long the note section matched for an item is kept before the search is asked again. */
const NOTES_TTL_MS = 60_000;

export interface Link {
  readonly title: string;
  readonly url: string;
}

export type EntryState = 'open' | 'answered' | 'dismissed';

/** A backlog item as shown: its state as the streamer sees it, its engagement and where it belongs. */
export interface BacklogEntry {
  readonly id: number;
  readonly text: string;
  readonly state: EntryState;
  readonly score: number;
  readonly askerCount: number;
  readonly votes: number;
  readonly paidTier: number;
  /** What was paid with it, as the platforms stated it. */
  readonly paid: readonly string[];
  /** Stream session ids it was asked in, oldest first. */
  readonly streams: readonly number[];
  readonly topics: readonly string[];
  /** The note section the search matches for it (the notes to extend), when notes are loaded. */
  readonly note: Link | null;
  /** The post that answers it. */
  readonly answeredBy: Link | null;
  /** When it was marked answered (by a post or by hand), or answered live; null while open. */
  readonly answeredAt: number | null;
  /** Answered on stream: when, and in which stream session. */
  readonly answeredLive: { readonly streamId: number; readonly at: number } | null;
  readonly firstAskedAt: number;
  readonly lastAskedAt: number;
}

export interface BacklogOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly halfLifeDays?: number;
  /** The note section for a text (the knowledge base's best section), when notes are loaded. */
  readonly noteFor?: (text: string) => Link | null;
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
  private notesAt = 0;
  /** The last question placed by a limited `sync`. */
  private cursor = 0;

  constructor(private readonly opts: BacklogOptions) {}

  private get repo() {
    return this.opts.store.backlog;
  }

  private place(): void {
    this.sync(this.opts.placeOnRead);
  }

  /**
   * Puts questions not in an item yet into one; returns how many it placed. With a `limit` (the
   * service's background placing, a batch at a time so that a flood of questions costs chat
   * little), it goes on from the last question it placed; without, it looks at every question.
   */
  sync(limit?: number): number {
    return this.opts.store.immediate(() => {
      const pending = this.repo.unassigned(limit === undefined ? 0 : this.cursor, limit ?? -1);
      if (pending.length === 0) return 0;
      this.cursor = Math.max(this.cursor, pending[pending.length - 1]!.id);
      const index = this.openIndex();
      for (const q of pending) {
        const words = keywords(q.text);
        const similar = index.questions.findSimilar(q.text, words);
        const itemId = similar === undefined ? this.repo.createItem(q.text, q.createdAt) : index.itemOf.get(similar)!;
        this.repo.assign(q.id, itemId);
        index.questions.add(q.id, q.text, words);
        index.itemOf.set(q.id, itemId);
      }
      return pending.length;
    });
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

  /** Items, best first (after placing new questions). */
  list(o: ListOptions = {}): { readonly total: number; readonly items: BacklogEntry[] } {
    this.place();
    const want = o.state ?? 'open';
    const topic = o.topic ? normalizeText(o.topic) : undefined;
    const all = this.entries().filter((e) => (want === 'all' || e.state === want) && (!topic || e.topics.some((t) => normalizeText(t) === topic)));
    all.sort((a, b) => b.score - a.score || a.id - b.id);
    const offset = o.offset ?? 0;
    return { total: all.length, items: all.slice(offset, o.limit === undefined ? undefined : offset + o.limit) };
  }

  get(id: number): BacklogEntry | undefined {
    this.place();
    const resolved = this.repo.resolve(id);
    if (resolved === undefined) return undefined;
    const row = this.repo.item(resolved);
    return row ? this.entry(row, this.repo.topics(), this.repo.paid()) : undefined;
  }

  /** The questions an item holds, oldest first. */
  questions(id: number): ItemQuestion[] {
    this.place();
    const resolved = this.repo.resolve(id);
    return resolved === undefined ? [] : this.repo.questions(resolved);
  }

  private entries(): BacklogEntry[] {
    const topics = this.repo.topics();
    const paid = this.repo.paid();
    return this.repo.items().map((r) => this.entry(r, topics, paid));
  }

  private entry(r: BacklogRow, topics: Map<number, string[]>, paid: Map<number, Array<{ display: string }>>): BacklogEntry {
    const live = r.answeredLiveAt !== null && (r.lastOpenAt === null || r.lastOpenAt <= r.answeredLiveAt) ? r.answeredLiveAt : null;
    const state: EntryState = r.state !== 'open' ? r.state : live !== null ? 'answered' : r.openMembers === 0 && r.reopenedAt === null ? 'dismissed' : 'open';
    return {
      id: r.id,
      text: r.text,
      state,
      score: backlogScore(
        { askerCount: r.askerCount, votes: r.votes, paidTier: r.paidTier, streams: r.streamIds.length, lastAskedAt: r.lastAskedAt },
        this.opts.clock.now(),
        this.opts.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
      ),
      askerCount: r.askerCount,
      votes: r.votes,
      paidTier: r.paidTier,
      paid: (paid.get(r.id) ?? []).map((p) => p.display),
      streams: r.streamIds,
      topics: topics.get(r.id) ?? [],
      note: this.noteOf(r),
      answeredBy: r.state === 'answered' && r.answeredUrl ? { url: r.answeredUrl, title: r.answeredTitle ?? r.answeredUrl } : null,
      answeredAt: state !== 'answered' ? null : r.state === 'answered' ? r.stateAt : live,
      answeredLive:
        state === 'answered' && r.state === 'open' && live !== null && r.answeredLiveStream !== null ? { streamId: r.answeredLiveStream, at: live } : null,
      firstAskedAt: r.firstAskedAt,
      lastAskedAt: r.lastAskedAt,
    };
  }

  private noteOf(r: BacklogRow): Link | null {
    if (!this.opts.noteFor) return null;
    // Notes change while the service runs (a saved note): matches are kept for a minute.
    const now = this.opts.clock.now();
    if (now - this.notesAt > NOTES_TTL_MS) {
      this.notes.clear();
      this.notesAt = now;
    }
    let note = this.notes.get(r.id);
    if (note === undefined) {
      note = this.opts.noteFor(r.text);
      this.notes.set(r.id, note);
    }
    return note;
  }

  private existing(id: number): number {
    this.place();
    const resolved = this.repo.resolve(id);
    if (resolved === undefined) throw new LecternError('NOT_FOUND', `There is no backlog item #${id}`);
    return resolved;
  }

  /**
   * Marks an item answered: by a post (its URL; the askers get a follow-up in a later stream) or
   * by hand (answered on stream, without a link).
   */
  answer(id: number, by: Link | 'live'): BacklogEntry {
    const item = this.existing(id);
    const now = this.opts.clock.now();
    this.opts.store.transaction(() => {
      if (by === 'live') this.repo.setState(item, 'answered', now);
      else {
        this.repo.setState(item, 'answered', now, { url: checkUrl(by.url), title: by.title.trim() || by.url });
        this.repo.addFollowUps(item, now);
      }
    });
    this.index = undefined;
    return this.get(item)!;
  }

  dismiss(id: number): BacklogEntry {
    const item = this.existing(id);
    this.repo.setState(item, 'dismissed', this.opts.clock.now());
    this.index = undefined;
    return this.get(item)!;
  }

  /** Back to open (Undo): follow-ups not told yet are cancelled; earlier live answers stop counting. */
  reopen(id: number): BacklogEntry {
    const item = this.existing(id);
    this.repo.reopen(item, this.opts.clock.now());
    this.index = undefined;
    return this.get(item)!;
  }

  /** Merges `from` into `into`: one item with both items' questions, askers and votes. */
  merge(from: number, into: number): BacklogEntry {
    const a = this.existing(from);
    const b = this.existing(into);
    if (a === b) throw new LecternError('INVALID_INPUT', `#${from} and #${into} are already one item`);
    this.repo.merge(a, b);
    this.notes.delete(a);
    this.index = undefined;
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
    this.repo.setProposal(item, url, 'confirmed');
    return this.answer(item, { url, title });
  }

  reject(itemId: number, url: string): void {
    const item = this.existing(itemId);
    if (!this.repo.setProposal(item, url, 'rejected')) throw new LecternError('NOT_FOUND', `No post ${url} was proposed for #${itemId}`);
  }

  /**
   * New articles from the feeds: each is matched against the open items with the search index
   * (`bestArticle(text)`: the article the search ranks first for an item's text), and proposed
   * for the items it answers. The first articles ever seen are only remembered: a feed's history
   * proposes nothing. Returns how many proposals were made.
   */
  articlesArrived(articles: ReadonlyArray<Link>, bestArticle: (text: string) => (Link & { score: number }) | undefined): number {
    if (articles.length === 0) return 0;
    const now = this.opts.clock.now();
    const first = this.repo.seenArticles() === 0;
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
