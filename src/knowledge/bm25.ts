import SearchableMap from 'minisearch/SearchableMap';

/**
 * A full-text index with BM25+ scoring over a few weighted fields, built for answering chat in
 * well under a millisecond on tens of thousands of sections.
 *
 * It scores exactly as MiniSearch 7 does (same BM25+ constants, per-field document frequency,
 * field length as the number of distinct raw tokens, prefix and fuzzy expansions weighted by
 * distance, score multiplied by the number of query words matched; test/unit/bm25.test.ts
 * checks the two side by side), but keeps its postings in flat arrays and adds scores into
 * typed arrays indexed by document slot instead of allocating an object per matching document.
 * That is what makes the difference on frequent words: a query that touches 10,000 postings
 * allocates nothing per posting, so there are no garbage-collection pauses in the tail.
 *
 * The term dictionary is MiniSearch's radix tree (prefix and Levenshtein lookups). A removed
 * document leaves no trace: its postings are taken out of every list it was in, and its slot is
 * reused.
 */

/** BM25+ constants (MiniSearch's defaults): term-frequency saturation, length normalisation, floor. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** Splits text into raw tokens at whitespace and punctuation (MiniSearch's default tokenizer). */
const SPLIT = /[\n\r\p{Z}\p{P}]+/u;
export const tokenize = (text: string): string[] => text.split(SPLIT);

/** The documents that contain one term in one field, and how often. */
interface Postings {
  readonly term: string;
  readonly slots: number[];
  readonly tfs: number[];
}

/** A term's postings, one list per field. */
type TermEntry = Array<Postings | undefined>;

export interface QueryOptions {
  /** Weight of each field, in the order the fields were declared. */
  readonly boosts: readonly number[];
  /** Whether a query term also matches the longer words it is a prefix of. */
  readonly prefix: (term: string) => boolean;
  /** The edit distance a query term may be away from an indexed word (0: exact only). */
  readonly fuzzy: (term: string) => number;
  readonly prefixWeight: number;
  readonly fuzzyWeight: number;
  /** How many letters may be cut off the end of a term to find a shorter indexed word (0: none). */
  readonly backoff?: (term: string) => number;
}

/** Back-off never shortens a term below this many letters. */
const MIN_BACKOFF = 5;

/**
 * The result of one query, valid until the next query: the documents touched, in the order they
 * were first reached, with their summed score and the number of distinct query terms they match.
 */
export interface RawHits {
  readonly count: number;
  readonly slots: Int32Array;
  readonly scores: Float64Array;
  readonly matched: Int32Array;
}

export class Bm25Index {
  private readonly dict = new SearchableMap<TermEntry>();
  /** Field lengths, `slot * fields + field`. */
  private readonly lengths: number[] = [];
  private readonly totalLength: number[];
  /** What to undo when a slot is removed: the postings lists it is in. */
  private readonly slotPostings: Array<Postings[] | undefined> = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private live = 0;

  // Per-query scratch, indexed by slot, reused from query to query.
  private scores = new Float64Array(0);
  private matched = new Int32Array(0);
  private lastTerm = new Int32Array(0);
  private stamp = new Uint32Array(0);
  private touched = new Int32Array(0);
  private epoch = 0;

  constructor(
    readonly fields: number,
    private readonly processTerm: (raw: string) => string | null,
  ) {
    this.totalLength = new Array<number>(fields).fill(0);
  }

  get size(): number {
    return this.live;
  }

  /** Whether a (processed) term is in the index. */
  has(term: string): boolean {
    return this.dict.has(term);
  }

  /** Indexes one document, given the text of each field; returns its slot. */
  add(texts: readonly string[]): number {
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    const postings: Postings[] = [];
    for (let f = 0; f < this.fields; f++) {
      const tokens = tokenize(texts[f] ?? '');
      const length = new Set(tokens).size;
      this.lengths[slot * this.fields + f] = length;
      this.totalLength[f]! += length;
      const tf = new Map<string, number>();
      for (const token of tokens) {
        const term = this.processTerm(token);
        if (term) tf.set(term, (tf.get(term) ?? 0) + 1);
      }
      for (const [term, n] of tf) {
        const entry = this.dict.fetch(term, () => new Array<Postings | undefined>(this.fields));
        const list = (entry[f] ??= { term, slots: [], tfs: [] });
        list.slots.push(slot);
        list.tfs.push(n);
        postings.push(list);
      }
    }
    this.slotPostings[slot] = postings;
    this.live++;
    return slot;
  }

  /** Removes documents by slot: each postings list they are in is filtered once. */
  remove(slots: readonly number[]): void {
    if (!slots.length) return;
    const gone = new Uint8Array(this.nextSlot);
    for (const slot of slots) gone[slot] = 1;
    const lists = new Set<Postings>();
    for (const slot of slots) {
      const postings = this.slotPostings[slot];
      if (!postings) continue;
      for (const p of postings) lists.add(p);
      for (let f = 0; f < this.fields; f++) this.totalLength[f]! -= this.lengths[slot * this.fields + f]!;
      this.slotPostings[slot] = undefined;
      this.freeSlots.push(slot);
      this.live--;
    }
    const emptied = new Set<string>();
    for (const list of lists) {
      let w = 0;
      for (let r = 0; r < list.slots.length; r++) {
        if (gone[list.slots[r]!]) continue;
        list.slots[w] = list.slots[r]!;
        list.tfs[w++] = list.tfs[r]!;
      }
      list.slots.length = w;
      list.tfs.length = w;
      if (!w) emptied.add(list.term);
    }
    // A term no document has any more leaves the dictionary (and prefix and typo lookups).
    for (const term of emptied) {
      const entry = this.dict.get(term);
      if (entry && entry.every((p) => !p || p.slots.length === 0)) this.dict.delete(term);
    }
  }

  /**
   * Scores every document that matches any of the (already processed) query terms. A term
   * repeated in the query counts each time it appears, as in MiniSearch; `matched` counts
   * distinct terms.
   */
  query(terms: readonly string[], opts: QueryOptions): RawHits {
    this.ensureScratch();
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    let count = 0;
    const { scores, matched, lastTerm, stamp, touched, lengths } = this;
    const F = this.fields;
    const N = this.live;
    const avg = this.totalLength.map((t) => (N ? t / N : 0));
    // Each distinct term once, weighted by how often the query repeats it.
    const repeats = new Map<string, number>();
    for (const term of terms) repeats.set(term, (repeats.get(term) ?? 0) + 1);
    let source = 0;
    for (const [term, times] of repeats) {
      source++;
      const expansions: Array<[TermEntry, number]> = [];
      const exact = this.dict.get(term);
      if (exact) expansions.push([exact, times]);
      const maxDistance = opts.fuzzy(term);
      const fuzzy = maxDistance > 0 ? this.dict.fuzzyGet(term, maxDistance) : undefined;
      // The shorter indexed words the term starts with, weighted as prefix matches: where two
      // forms of a word stem differently ("deterministic" and "determinism").
      const cut = opts.backoff?.(term) ?? 0;
      for (let k = term.length - 1; k >= term.length - cut && k >= MIN_BACKOFF; k--) {
        const word = term.slice(0, k);
        const entry = this.dict.get(word);
        if (!entry) continue;
        fuzzy?.delete(word);
        expansions.push([entry, (times * opts.prefixWeight * k) / (k + 0.3 * (term.length - k))]);
      }
      if (opts.prefix(term)) {
        for (const [word, entry] of this.dict.atPrefix(term)) {
          const distance = word.length - term.length;
          if (!distance) continue;
          fuzzy?.delete(word);
          expansions.push([entry, (times * opts.prefixWeight * word.length) / (word.length + 0.3 * distance)]);
        }
      }
      if (fuzzy) {
        for (const [word, [entry, distance]] of fuzzy) {
          if (distance) expansions.push([entry, (times * opts.fuzzyWeight * word.length) / (word.length + distance)]);
        }
      }
      for (const [entry, weight] of expansions) {
        for (let f = 0; f < F; f++) {
          const list = entry[f];
          const df = list ? list.slots.length : 0;
          if (!df) continue;
          const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
          const w = weight * opts.boosts[f]! * idf;
          const norm = K1 * B / avg[f]!;
          const base = K1 * (1 - B);
          const { slots, tfs } = list!;
          for (let i = 0; i < df; i++) {
            const slot = slots[i]!;
            const tf = tfs[i]!;
            const s = w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * lengths[slot * F + f]!));
            if (stamp[slot] !== epoch) {
              stamp[slot] = epoch;
              scores[slot] = s;
              matched[slot] = 1;
              lastTerm[slot] = source;
              touched[count++] = slot;
            } else {
              scores[slot]! += s;
              if (lastTerm[slot] !== source) {
                lastTerm[slot] = source;
                matched[slot]!++;
              }
            }
          }
        }
      }
    }
    return { count, slots: touched, scores, matched };
  }

  private ensureScratch(): void {
    const n = this.nextSlot;
    if (this.scores.length >= n) return;
    const size = Math.max(n, this.scores.length * 2, 64);
    this.scores = new Float64Array(size);
    this.matched = new Int32Array(size);
    this.lastTerm = new Int32Array(size);
    this.stamp = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.epoch = 0;
  }
}

/** A scored document slot, with the number of distinct query terms it matches. */
export interface Hit {
  readonly slot: number;
  readonly score: number;
  readonly matched: number;
}

/**
 * The `k` best of a stream of hits, best first: a min-heap of size k in typed arrays, so choosing
 * 60 out of 10,000 costs one comparison for most hits and allocates nothing. Equal scores keep
 * the order the hits came in.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private readonly matched: Int32Array;
  private readonly orders: Int32Array;
  private size = 0;
  private seen = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
    this.matched = new Int32Array(k);
    this.orders = new Int32Array(k);
  }

  /** Whether entry i ranks below entry j. */
  private below(i: number, j: number): boolean {
    const { scores, orders } = this;
    return scores[i]! < scores[j]! || (scores[i] === scores[j] && orders[i]! > orders[j]!);
  }

  private swap(i: number, j: number): void {
    const { scores, slots, matched, orders } = this;
    const s = scores[i]!;
    scores[i] = scores[j]!;
    scores[j] = s;
    const d = slots[i]!;
    slots[i] = slots[j]!;
    slots[j] = d;
    const m = matched[i]!;
    matched[i] = matched[j]!;
    matched[j] = m;
    const o = orders[i]!;
    orders[i] = orders[j]!;
    orders[j] = o;
  }

  /** The score a hit must beat to be kept (checking it first saves a call for most hits). */
  floor = -Infinity;

  push(slot: number, score: number, matched: number): void {
    const order = this.seen++;
    let i: number;
    if (this.size < this.k) {
      i = this.size++;
      this.scores[i] = score;
      this.slots[i] = slot;
      this.matched[i] = matched;
      this.orders[i] = order;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.below(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      if (this.size === this.k) this.floor = this.scores[0]!;
      return;
    }
    // Full: a hit that is not better than the worst kept one (the root) is dropped at once.
    if (!this.k || score <= this.scores[0]!) return;
    this.scores[0] = score;
    this.slots[0] = slot;
    this.matched[0] = matched;
    this.orders[0] = order;
    for (i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.below(l, m)) m = l;
      if (r < this.size && this.below(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    this.floor = this.scores[0]!;
  }

  /** The kept hits, best first. */
  best(): Hit[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ slot: this.slots[i]!, score: this.scores[i]!, matched: this.matched[i]!, order: this.orders[i]! }));
    out.sort((a, b) => b.score - a.score || a.order - b.order);
    return out;
  }
}
