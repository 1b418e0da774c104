/** The heaps the searches keep their best hits in, and what a top-k search asks for and returns. */

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

/**
 * The k-th best of a stream of values (a min-heap of k numbers): -Infinity until k are seen.
 * What the pruned search's lower bounds need, without the slots and ties TopK keeps.
 */
export class KthBest {
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
