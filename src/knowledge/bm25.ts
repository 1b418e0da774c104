import SearchableMap from 'minisearch/SearchableMap';
import { maxScoreTop } from './max-score.js';
import {
  B,
  DELTA,
  K1,
  MASK_TERMS,
  pack,
  PACK,
  popcount,
  postingScore,
  Scratch,
  sortPostings,
  tighten,
  tokenize,
  type Plan,
  type Postings,
  type QueryOptions,
  type QueryTerm,
  type RawHits,
  type TermEntry,
} from './postings.js';

export { tokenize, type QueryOptions, type QueryTerm, type RawHits } from './postings.js';
import { KthBest, TopK, type TopHits, type TopWanted } from './top-k.js';

export type { Hit, TopHits, TopWanted } from './top-k.js';
export { TopK } from './top-k.js';

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
 * reused (inserted where its number belongs: lists stay sorted by slot).
 *
 * `query` scores every matching document (the reference); `top` finds the best k with MaxScore,
 * skipping most of the postings of common words, with exactly the same result as offering every
 * document of `query` to the heaps (`topExhaustive`).
 */

/** Back-off never shortens a term below this many letters. */
const MIN_BACKOFF = 5;

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
  private readonly scratch = new Scratch();
  /**
   * Postings read by the queries so far (a lookup of a document counts as one): what the pruned
   * search saves, in a unit no machine's load changes.
   */
  postingsRead = 0;
  /** Heaps reused from query to query: the two a search returns from, the two for lower bounds. */
  private readonly heaps = [new TopK(0), new TopK(0)] as const;
  private readonly kth = [new KthBest(), new KthBest()] as const;

  constructor(
    readonly fields: number,
    private readonly processTerm: (raw: string) => string | null,
    /** Told when a term enters the dictionary (`true`) or leaves it (`false`). */
    private readonly onTerm?: (term: string, present: boolean) => void,
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

  /** How many documents have a (processed) term, in the field where most do. */
  frequency(term: string): number {
    let n = 0;
    for (const list of this.dict.get(term) ?? []) if (list && list.slots.length > n) n = list.slots.length;
    return n;
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
        const entry = this.dict.fetch(term, () => {
          this.onTerm?.(term, true);
          return new Array<Postings | undefined>(this.fields);
        });
        const list = (entry[f] ??= { term, slots: [], tfs: [], maxTf: 0, minLen: Infinity, unsorted: false, loose: false });
        // A reused slot can be lower than the last one: the list is put back in order when a
        // query next reads it (once for all the sections of a re-indexed note).
        if (list.slots.length && list.slots[list.slots.length - 1]! > slot) list.unsorted = true;
        list.slots.push(slot);
        list.tfs.push(pack(n, length));
        if (n > list.maxTf) list.maxTf = n;
        if (length < list.minLen) list.minLen = length;
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
      // The list's bounds stay valid (only looser) when a document at them goes.
      let atBound = false;
      for (let r = 0; r < list.slots.length; r++) {
        const slot = list.slots[r]!;
        const packed = list.tfs[r]!;
        if (gone[slot]) {
          const tf = Math.floor(packed / PACK);
          if (tf >= list.maxTf || packed - tf * PACK <= list.minLen) atBound = true;
          continue;
        }
        list.slots[w] = slot;
        list.tfs[w++] = packed;
      }
      list.slots.length = w;
      list.tfs.length = w;
      // Tightened when a query next reads the list.
      if (atBound) list.loose = true;
      if (!w) emptied.add(list.term);
    }
    // A term no document has any more leaves the dictionary (and prefix and typo lookups).
    for (const term of emptied) {
      const entry = this.dict.get(term);
      if (entry && entry.every((p) => !p || p.slots.length === 0)) {
        this.dict.delete(term);
        this.onTerm?.(term, false);
      }
    }
  }

  /**
   * The postings lists a query reads: for each distinct term of a group (weighted by how often
   * the query repeats it, times its weight), its exact word, the shorter words of the back-off,
   * the longer words it is a prefix of, the words a typo away; for each, field by field; each
   * with the most it can add to a document's sum. Up to MASK_TERMS groups, sorted by that bound,
   * largest first: the order both searches add them up in, so that they get the same scores to
   * the last bit (beyond, term by term, and `top` scores exhaustively).
   */
  private plan(terms: readonly QueryTerm[], opts: QueryOptions): Plan {
    const F = this.fields;
    const N = this.live;
    const avg = this.totalLength.map((t) => (N ? t / N : 0));
    const plan: Plan = { lists: [], sources: 0 };
    // Each distinct (group, term) once, with its weights added up; groups numbered in order.
    const groups = new Map<string, number>();
    const weighted = new Map<string, { term: string; source: number; times: number }>();
    for (const t of terms) {
      const { term, weight = 1, group = term } = typeof t === 'string' ? { term: t } : t;
      let source = groups.get(group);
      if (source === undefined) groups.set(group, (source = plan.sources++));
      const key = `${source} ${term}`;
      const w = weighted.get(key);
      if (w) w.times += weight;
      else weighted.set(key, { term, source, times: weight });
    }
    for (const { term, source, times } of weighted.values()) {
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
          if (list!.unsorted) sortPostings(list!);
          if (list!.loose) tighten(list!);
          const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
          const w = weight * opts.boosts[f]! * idf;
          const norm = (K1 * B) / avg[f]!;
          const base = K1 * (1 - B);
          // The most any document of the list can get: score rises with tf and falls with length.
          const bound = w * (DELTA + (list!.maxTf * (K1 + 1)) / (list!.maxTf + base + norm * list!.minLen));
          plan.lists.push({ at: plan.lists.length, slots: list!.slots, tfs: list!.tfs, source, bit: 0, w, norm, base, bound });
        }
      }
    }
    if (plan.sources <= MASK_TERMS) {
      // Largest bound first (the order the pruned search needs), ties in plan order.
      plan.lists.sort((a, b) => b.bound - a.bound || a.at - b.at);
      plan.lists.forEach((l) => (l.bit = 1 << l.source));
    }
    return plan;
  }

  /**
   * Scores every document that matches any of the (already processed) query terms. A term
   * repeated in the query counts each time it appears, as in MiniSearch; `matched` counts
   * distinct groups (a plain term is its own). The exhaustive reference for `top`, and what
   * MiniSearch is compared with.
   */
  query(terms: readonly QueryTerm[], opts: QueryOptions): RawHits {
    const epoch = this.scratch.begin(this.nextSlot);
    const plan = this.plan(terms, opts);
    const { scores, matched, lastTerm, stamp, touched } = this.scratch;
    let count = 0;
    // Up to MASK_TERMS terms, lists come largest bound first and `lastTerm` holds a bit per term
    // matched; beyond, they come term by term and it holds the last term that matched.
    const masks = plan.sources <= MASK_TERMS;
    for (const { slots, tfs, source, bit, w, norm, base } of plan.lists) {
      const df = slots.length;
      this.postingsRead += df;
      const src = masks ? bit : source + 1;
      for (let i = 0; i < df; i++) {
        const slot = slots[i]!;
        const s = postingScore(tfs[i]!, w, base, norm);
        if (stamp[slot] !== epoch) {
          stamp[slot] = epoch;
          scores[slot] = s;
          matched[slot] = 1;
          lastTerm[slot] = src;
          touched[count++] = slot;
        } else {
          scores[slot]! += s;
          if (masks) lastTerm[slot]! |= src;
          else if (lastTerm[slot] !== src) {
            lastTerm[slot] = src;
            matched[slot]!++;
          }
        }
      }
    }
    if (masks) for (let i = 0; i < count; i++) matched[touched[i]!] = popcount(lastTerm[touched[i]!]!);
    return { count, slots: touched, scores, matched };
  }

  /**
   * The best documents for a query, by exhaustive scoring: every matching document is scored
   * (`query`) and offered to the heaps. The reference that `top` must equal.
   */
  topExhaustive(terms: readonly QueryTerm[], opts: QueryOptions, want: TopWanted): TopHits {
    const raw = this.query(terms, opts);
    const all = this.heaps[0].reset(want.k);
    const matching = want.minMatched > 0 ? this.heaps[1].reset(want.k) : undefined;
    const { filter, boost } = want;
    let found = 0;
    for (let i = 0; i < raw.count; i++) {
      const slot = raw.slots[i]!;
      if (filter && !(filter.bits[slot]! & filter.mask)) continue;
      found++;
      const matched = raw.matched[slot]!;
      const score = raw.scores[slot]! * matched * (boost ? boost[slot]! : 1);
      if (score >= all.floor) all.push(slot, score, matched);
      if (matching && score >= matching.floor && matched >= want.minMatched) matching.push(slot, score, matched);
    }
    const best = all.best();
    return { found, all: best, matching: matching ? matching.best() : best };
  }

  /**
   * The same best documents as `topExhaustive`, without scoring most of the documents that cannot
   * be among them: MaxScore, term at a time (max-score.ts). Beyond MASK_TERMS query terms, it
   * scores exhaustively.
   */
  top(terms: readonly QueryTerm[], opts: QueryOptions, want: TopWanted): TopHits {
    const plan = this.plan(terms, opts);
    if (plan.sources > MASK_TERMS) return this.topExhaustive(terms, opts, want);
    const r = maxScoreTop(plan, want, this.scratch, this.scratch.begin(this.nextSlot), this.heaps, this.kth);
    this.postingsRead += r.postingsRead;
    return r.hits;
  }
}
