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
 * reused (inserted where its number belongs: lists stay sorted by slot).
 *
 * `query` scores every matching document (the reference); `top` finds the best k with MaxScore,
 * skipping most of the postings of common words, with exactly the same result as offering every
 * document of `query` to the heaps (`topExhaustive`).
 */

/** BM25+ constants (MiniSearch's defaults): term-frequency saturation, length normalisation, floor. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** Splits text into raw tokens at whitespace and punctuation (MiniSearch's default tokenizer). */
const SPLIT = /[\n\r\p{Z}\p{P}]+/u;
export const tokenize = (text: string): string[] => text.split(SPLIT);

/**
 * The documents that contain one term in one field, and how often, in increasing slot order (the
 * pruned search walks several lists side by side and skips ahead in them). `maxTf` and `minLen`
 * (the highest term frequency and the shortest field among them) bound the score any of them can
 * get from this term, whatever the collection's size and average lengths at query time.
 */
interface Postings {
  readonly term: string;
  /** Sorted, unless `unsorted` (see `sortPostings`). */
  readonly slots: number[];
  /** Each document's term frequency and field length, packed (`pack`): scoring a posting then
   * reads nothing outside the list. */
  readonly tfs: number[];
  maxTf: number;
  minLen: number;
  /** Slots were appended out of order since the list was last sorted. */
  unsorted: boolean;
  /** A document at `maxTf` or `minLen` was removed: the bounds may be tightened. */
  loose: boolean;
}

/** Recomputes a list's bounds from its postings. */
function tighten(list: Postings): void {
  let maxTf = 0;
  let minLen = Infinity;
  for (const packed of list.tfs) {
    const tf = Math.floor(packed / PACK);
    if (tf > maxTf) maxTf = tf;
    if (packed - tf * PACK < minLen) minLen = packed - tf * PACK;
  }
  list.maxTf = maxTf;
  list.minLen = minLen;
  list.loose = false;
}

/**
 * Puts a list back in slot order: its sorted beginning stays, the rest (the slots appended out
 * of order, and whatever followed them) is sorted and merged in from the end.
 */
function sortPostings(list: Postings): void {
  const { slots, tfs } = list;
  const n = slots.length;
  let p = 1;
  while (p < n && slots[p - 1]! < slots[p]!) p++;
  list.unsorted = false;
  if (p >= n) return;
  const order = Array.from({ length: n - p }, (_, i) => p + i).sort((a, b) => slots[a]! - slots[b]!);
  const tailSlots = order.map((i) => slots[i]!);
  const tailTfs = order.map((i) => tfs[i]!);
  for (let i = p - 1, j = n - p - 1, w = n - 1; j >= 0; w--) {
    if (i >= 0 && slots[i]! > tailSlots[j]!) {
      slots[w] = slots[i]!;
      tfs[w] = tfs[i--]!;
    } else {
      slots[w] = tailSlots[j]!;
      tfs[w] = tailTfs[j--]!;
    }
  }
}

/** A term's postings, one list per field. */
type TermEntry = Array<Postings | undefined>;

/**
 * A (processed) query term: a word, or a word with a weight (1 by default) and a group. Terms of
 * one group count as one in `matched` (what a viewer's word stands for: "fsdp" and the words of
 * "fully sharded data parallel"); a plain word is its own group. A word given twice in a group
 * adds its weights (MiniSearch counts a repeated query word each time).
 */
export type QueryTerm = string | { readonly term: string; readonly weight?: number; readonly group?: string };

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
 * were first reached, with their summed score and the number of distinct query terms (groups)
 * they match.
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
  private cands = new Int32Array(0);
  private epoch = 0;
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

  /** A fresh query's scratch arrays (indexed by slot) and its stamp. */
  private begin(): number {
    this.ensureScratch();
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  /**
   * Scores every document that matches any of the (already processed) query terms. A term
   * repeated in the query counts each time it appears, as in MiniSearch; `matched` counts
   * distinct groups (a plain term is its own). The exhaustive reference for `top`, and what
   * MiniSearch is compared with.
   */
  query(terms: readonly QueryTerm[], opts: QueryOptions): RawHits {
    const epoch = this.begin();
    const plan = this.plan(terms, opts);
    const { scores, matched, lastTerm, stamp, touched } = this;
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
        const packed = tfs[i]!;
        const tf = Math.floor(packed / PACK);
        const s = w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * (packed - tf * PACK)));
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
   * be among them: MaxScore (Turtle and Flood, 1995), term at a time.
   *
   * Each postings list has an upper bound on what it adds to any document's sum (`Plan`); lists
   * are read largest bound first, so that what is left to read can add less and less. While
   * reading, any document can still enter the best k ("or" mode). Every document read so far has
   * a lower bound for its score (what it has: every part is positive, it can only match more
   * terms, its boost is known); the k-th best of those is a score k documents will reach. Once
   * the lists left, all together (their bounds' sum, times their number of distinct terms, times
   * the largest boost), cannot lift a document not yet seen to that score, no new document is
   * taken ("and" mode): the documents kept are those whose own upper bound (what they have, plus
   * all the lists left, times the terms they can still reach) can still reach it. Each later list
   * adds only to them: read in full when they are many, or looked up (galloping, postings are
   * sorted by slot) when they are few; after each list, those that cannot reach the rising
   * threshold are dropped. In a query of common words, most of the long lists' postings are then
   * never scored, and only a few hundred documents are ever offered to the heaps.
   *
   * Exactness: a document kept to the end got every part of its sum, in the same order as
   * `query` adds them, so scores are identical to the bit; one dropped could not have entered
   * (bounds carry a margin for rounding, lower bounds need none: rounding a sum of positive
   * numbers never makes it smaller); equal scores rank by slot in both. `found` is exact when the
   * search never leaves "or" mode; otherwise it is at least `k`. Beyond MASK_TERMS query terms,
   * it scores exhaustively.
   */
  top(terms: readonly QueryTerm[], opts: QueryOptions, want: TopWanted): TopHits {
    const plan = this.plan(terms, opts);
    if (plan.sources > MASK_TERMS) return this.topExhaustive(terms, opts, want);
    const { lists } = plan;
    const m = lists.length;
    const { filter, boost, minMatched, k } = want;
    const boostMax = boost ? (want.boostMax ?? Infinity) : 1;
    // What the lists from j on can add at most, their terms, and their postings.
    const restBound = new Float64Array(m + 1);
    const restMask = new Int32Array(m + 1);
    const restPostings = new Float64Array(m + 1);
    for (let j = m - 1; j >= 0; j--) {
      restBound[j] = restBound[j + 1]! + lists[j]!.bound;
      restMask[j] = restMask[j + 1]! | lists[j]!.bit;
      restPostings[j] = restPostings[j + 1]! + lists[j]!.slots.length;
    }
    const epoch = this.begin();
    const { scores, lastTerm, stamp, touched } = this;
    let count = 0;
    // "Or" mode: every document read is kept.
    let j = 0;
    let floors: [number, number] | undefined;
    // The first look happens anyway; later ones when they may succeed.
    let lastFloor = Infinity;
    for (; j < m; j++) {
      const { slots, tfs, bit, w, norm, base } = lists[j]!;
      this.postingsRead += slots.length;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const packed = tfs[i]!;
        const tf = Math.floor(packed / PACK);
        const s = w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * (packed - tf * PACK)));
        if (stamp[slot] !== epoch) {
          stamp[slot] = epoch;
          scores[slot] = s;
          lastTerm[slot] = bit;
          touched[count++] = slot;
        } else {
          scores[slot]! += s;
          lastTerm[slot]! |= bit;
        }
      }
      // Worth a look (it costs a pass over the documents read) when much is left to read, at
      // least k documents are read, and the lists left are not far above the last look's floor.
      if (j + 1 < m && count >= k && restPostings[j + 1]! > count) {
        const terms = popcount(restMask[j + 1]!);
        const bound = restBound[j + 1]! * terms * boostMax * SLACK;
        if (bound < 2 * lastFloor) {
          const f = this.lowerFloors(count, want);
          lastFloor = f[0];
          if (bound < f[0] && (terms < minMatched || bound < f[1])) {
            floors = f;
            j++;
            break;
          }
        }
      }
    }
    let found = 0;
    const all = this.heaps[0].reset(k);
    const matching = minMatched > 0 ? this.heaps[1].reset(k) : undefined;
    if (!floors) {
      // Never left "or" mode: what was read is every matching document.
      for (let i = 0; i < count; i++) {
        const slot = touched[i]!;
        if (filter && !(filter.bits[slot]! & filter.mask)) continue;
        found++;
        const matched = popcount(lastTerm[slot]!);
        const score = scores[slot]! * matched * (boost ? boost[slot]! : 1);
        if (score >= all.floor) all.push(slot, score, matched);
        if (matching && score >= matching.floor && matched >= minMatched) matching.push(slot, score, matched);
      }
    } else {
      // "And" mode: the documents that can still enter, in slot order.
      let n = 0;
      const cands = this.cands;
      for (let i = 0; i < count; i++) {
        const slot = touched[i]!;
        if (filter && !(filter.bits[slot]! & filter.mask)) {
          stamp[slot] = 0;
          continue;
        }
        found++;
        cands[n++] = slot;
      }
      n = this.prune(n, restBound[j]!, restMask[j]!, floors, want);
      let sorted = false;
      for (; j < m && n > 0; j++) {
        const { slots, tfs, bit, w, norm, base } = lists[j]!;
        const df = slots.length;
        if (n * 8 < df) {
          // Few documents left: look each one up (in slot order; dropping keeps the order).
          if (!sorted) {
            sortSlots(cands, n);
            sorted = true;
          }
          let p = 0;
          this.postingsRead += n;
          for (let c = 0; c < n && p < df; c++) {
            const slot = cands[c]!;
            p = lowerBound(slots, slot, p);
            if (slots[p] !== slot) continue;
            const packed = tfs[p]!;
            const tf = Math.floor(packed / PACK);
            scores[slot]! += w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * (packed - tf * PACK)));
            lastTerm[slot]! |= bit;
          }
        } else {
          this.postingsRead += df;
          for (let i = 0; i < df; i++) {
            const slot = slots[i]!;
            if (stamp[slot] !== epoch) continue;
            const packed = tfs[i]!;
            const tf = Math.floor(packed / PACK);
            scores[slot]! += w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * (packed - tf * PACK)));
            lastTerm[slot]! |= bit;
          }
        }
        // Dropping documents pays when there are still many (it costs a pass over them).
        if (j + 1 < m && n > 2 * k) n = this.prune(n, restBound[j + 1]!, restMask[j + 1]!, this.lowerFloors(n, want, cands), want);
      }
      for (let c = 0; c < n; c++) {
        const slot = cands[c]!;
        const matched = popcount(lastTerm[slot]!);
        const score = scores[slot]! * matched * (boost ? boost[slot]! : 1);
        if (score >= all.floor) all.push(slot, score, matched);
        if (matching && score >= matching.floor && matched >= minMatched) matching.push(slot, score, matched);
      }
    }
    const best = all.best();
    return { found, all: best, matching: matching ? matching.best() : best };
  }

  /**
   * Lower bounds of the k-th best score, [of all documents, of those matching minMatched terms],
   * from what the documents read so far have (the first `n` of `from`, by default the documents
   * touched): -Infinity where fewer than k are known.
   */
  private lowerFloors(n: number, want: TopWanted, from: Int32Array = this.touched): [number, number] {
    const { filter, boost, minMatched, k } = want;
    const { scores, lastTerm, stamp, epoch } = this;
    // Only the k-th best value matters (not which document has it): heaps of values.
    const all = this.kth[0].reset(k);
    const matching = minMatched > 0 ? this.kth[1].reset(k) : undefined;
    for (let i = 0; i < n; i++) {
      const slot = from[i]!;
      if (stamp[slot] !== epoch || (filter && !(filter.bits[slot]! & filter.mask))) continue;
      const matched = popcount(lastTerm[slot]!);
      const low = scores[slot]! * matched * (boost ? boost[slot]! : 1);
      if (low > all.floor) all.push(low);
      if (matching && matched >= minMatched && low > matching.floor) matching.push(low);
    }
    // Without a second heap, only the first floor counts.
    return [all.floor, !matching ? Infinity : matching.floor];
  }

  /**
   * Keeps (in order) the first `n` candidates that can still enter one of the heaps with the lists
   * left (`rest` their bounds' sum, `restMask` their terms); the others leave the stamp, so that
   * full reads of later lists skip them. Returns how many are kept.
   */
  private prune(n: number, rest: number, restMask: number, [floorAll, floorMatch]: [number, number], want: TopWanted): number {
    const { cands, scores, lastTerm, stamp } = this;
    const { boost, minMatched } = want;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const slot = cands[i]!;
      const terms = popcount(lastTerm[slot]! | restMask);
      const bound = (scores[slot]! + rest) * terms * (boost ? boost[slot]! : 1) * SLACK;
      if (bound < floorAll && (terms < minMatched || bound < floorMatch)) stamp[slot] = 0;
      else cands[kept++] = slot;
    }
    return kept;
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
    this.cands = new Int32Array(size);
    this.epoch = 0;
  }
}

/**
 * The k-th best of a stream of values (a min-heap of k numbers): -Infinity until k are seen.
 * What the pruned search's lower bounds need, without the slots and ties TopK keeps.
 */
class KthBest {
  private heap = new Float64Array(0);
  private size = 0;
  private k = 0;
  floor = -Infinity;

  reset(k: number): this {
    if (this.heap.length < k) this.heap = new Float64Array(k);
    this.k = k;
    this.size = 0;
    this.floor = -Infinity;
    return this;
  }

  /** Offers a value; callers check `value > floor` first. */
  push(value: number): void {
    const h = this.heap;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (h[parent]! <= value) break;
        h[i] = h[parent]!;
        i = parent;
      }
      h[i] = value;
      if (this.size === this.k) this.floor = h[0]!;
      return;
    }
    if (!this.k || value <= h[0]!) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && h[r]! < h[l]! ? r : l;
      if (h[c]! >= value) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = value;
    this.floor = h[0]!;
  }
}

/** Sorts the first n slots in place (ascending). */
function sortSlots(slots: Int32Array, n: number): void {
  if (n < 32) {
    for (let i = 1; i < n; i++) {
      const x = slots[i]!;
      let j = i - 1;
      while (j >= 0 && slots[j]! > x) {
        slots[j + 1] = slots[j]!;
        j--;
      }
      slots[j + 1] = x;
    }
  } else slots.subarray(0, n).sort();
}

/** Term frequency and field length in one number: tf * PACK + length (exact below 2^53). */
const PACK = 2 ** 24;
function pack(tf: number, length: number): number {
  return tf * PACK + Math.min(length, PACK - 1);
}

/** Up to this many distinct query terms, a document's terms are a bit mask (and `top` prunes). */
const MASK_TERMS = 31;

/** Bounds are compared after this factor, so that rounding can never make a bound too small. */
const SLACK = 1 + 1e-9;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The first index at or after `from` whose slot is at least `slot` (galloping, then binary search). */
function lowerBound(slots: readonly number[], slot: number, from: number): number {
  const n = slots.length;
  if (from >= n || slots[from]! >= slot) return from;
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < n && slots[hi]! < slot) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > n) hi = n;
  // slots[lo] < slot; slots[hi] >= slot or hi === n.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (slots[mid]! < slot) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** One postings list as a query reads it: its weight, length normalisation and score bound. */
interface PlannedList {
  /** Its place in the plan (term by term). */
  readonly at: number;
  readonly slots: readonly number[];
  readonly tfs: readonly number[];
  /** The query term it comes from (0-based, in order), for counting distinct terms matched, and
   * that term's bit (up to MASK_TERMS terms). */
  readonly source: number;
  bit: number;
  readonly w: number;
  readonly norm: number;
  readonly base: number;
  readonly bound: number;
}

interface Plan {
  readonly lists: PlannedList[];
  sources: number;
}

/** What a top-k search keeps. */
export interface TopWanted {
  /** How many of the best to keep (in each heap). */
  readonly k: number;
  /** Only documents whose bit is in the mask count (kinds); the others are not even counted as found. */
  readonly filter?: { readonly bits: ArrayLike<number>; readonly mask: number };
  /** A multiplier per slot (the topic boost), at least 1, and its largest value. */
  readonly boost?: ArrayLike<number>;
  readonly boostMax?: number;
  /**
   * Also keep the best `k` of the documents that match at least this many distinct query terms
   * (0: no second heap; `matching` is then `all`).
   */
  readonly minMatched: number;
}

/**
 * The best `k` documents by score (sum × terms matched × boost), and the best `k` of those that
 * match at least `minMatched` distinct terms, best first; `found` counts the documents of the
 * wanted kinds that match (see `Bm25Index.top` for when it is exact).
 */
export interface TopHits {
  readonly found: number;
  readonly all: Hit[];
  readonly matching: Hit[];
}

/** A scored document slot, with the number of distinct query terms it matches. */
export interface Hit {
  readonly slot: number;
  readonly score: number;
  readonly matched: number;
}

/**
 * The `k` best of a stream of hits, best first: a min-heap of size k in typed arrays, so choosing
 * 60 out of 10,000 costs one comparison for most hits and allocates nothing. Equal scores rank by
 * slot, lower first, so that the result does not depend on the order hits arrive in (the pruned
 * and the exhaustive search offer them in different orders).
 */
export class TopK {
  private scores: Float64Array;
  private slots: Int32Array;
  private matched: Int32Array;
  private size = 0;

  constructor(private k: number) {
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
    this.matched = new Int32Array(k);
  }

  /** Empties it for another k (a heap reused from query to query allocates nothing). */
  reset(k: number): this {
    if (k > this.scores.length) {
      this.scores = new Float64Array(k);
      this.slots = new Int32Array(k);
      this.matched = new Int32Array(k);
    }
    this.k = k;
    this.size = 0;
    this.floor = -Infinity;
    return this;
  }

  /** Whether entry i ranks below entry j. */
  private below(i: number, j: number): boolean {
    const { scores, slots } = this;
    return scores[i]! < scores[j]! || (scores[i] === scores[j] && slots[i]! > slots[j]!);
  }

  private swap(i: number, j: number): void {
    const { scores, slots, matched } = this;
    const s = scores[i]!;
    scores[i] = scores[j]!;
    scores[j] = s;
    const d = slots[i]!;
    slots[i] = slots[j]!;
    slots[j] = d;
    const m = matched[i]!;
    matched[i] = matched[j]!;
    matched[j] = m;
  }

  /**
   * The lowest score that may still be kept: -Infinity until k hits are kept, then the worst kept
   * one's (a hit with that score is kept only if its slot is lower). Checking it first saves a
   * call for most hits.
   */
  floor = -Infinity;

  /** Whether k hits are kept. */
  get full(): boolean {
    return this.size === this.k;
  }

  /** Offers a hit; returns whether the floor rose. */
  push(slot: number, score: number, matched: number): boolean {
    let i: number;
    if (this.size < this.k) {
      i = this.size++;
      this.scores[i] = score;
      this.slots[i] = slot;
      this.matched[i] = matched;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.below(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      if (this.size === this.k) {
        this.floor = this.scores[0]!;
        return true;
      }
      return false;
    }
    // Full: a hit that does not rank above the worst kept one (the root) is dropped at once.
    if (!this.k || score < this.scores[0]! || (score === this.scores[0] && slot > this.slots[0]!)) return false;
    const before = this.scores[0]!;
    this.scores[0] = score;
    this.slots[0] = slot;
    this.matched[0] = matched;
    for (i = 0; ;) {
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
    return this.floor > before;
  }

  /** The kept hits, best first (the heap is emptied: taken from the root, worst first). */
  best(): Hit[] {
    const out = new Array<Hit>(this.size);
    while (this.size > 0) {
      const last = --this.size;
      out[last] = { slot: this.slots[0]!, score: this.scores[0]!, matched: this.matched[0]! };
      this.swap(0, last);
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.below(l, m)) m = l;
        if (r < this.size && this.below(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    this.floor = -Infinity;
    return out;
  }
}
