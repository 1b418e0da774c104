/**
 * The BM25+ index's postings lists and the small pieces of arithmetic both of its searches share:
 * the packed term frequency and field length, the score of one posting, list bounds, bit masks of
 * query terms, and lookups in slot-sorted lists.
 */

/** Splits text into raw tokens at whitespace and punctuation (MiniSearch's default tokenizer). */
const SPLIT = /[\n\r\p{Z}\p{P}]+/u;
export const tokenize = (text: string): string[] => text.split(SPLIT);

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

/** BM25+ constants (MiniSearch's defaults): term-frequency saturation, length normalisation, floor. */
export const K1 = 1.2;
export const B = 0.7;
export const DELTA = 0.5;

/**
 * The documents that contain one term in one field, and how often, in increasing slot order (the
 * pruned search walks several lists side by side and skips ahead in them). `maxTf` and `minLen`
 * (the highest term frequency and the shortest field among them) bound the score any of them can
 * get from this term, whatever the collection's size and average lengths at query time.
 */
export interface Postings {
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
export function tighten(list: Postings): void {
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
export function sortPostings(list: Postings): void {
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
export type TermEntry = Array<Postings | undefined>;

/** Sorts the first n slots in place (ascending). */
export function sortSlots(slots: Int32Array, n: number): void {
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
export const PACK = 2 ** 24;
export function pack(tf: number, length: number): number {
  return tf * PACK + Math.min(length, PACK - 1);
}

/** Up to this many distinct query terms, a document's terms are a bit mask (and `top` prunes). */
export const MASK_TERMS = 31;

/** Bounds are compared after this factor, so that rounding can never make a bound too small. */
export const SLACK = 1 + 1e-9;

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The first index at or after `from` whose slot is at least `slot` (galloping, then binary search). */
export function lowerBound(slots: readonly number[], slot: number, from: number): number {
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
export interface PlannedList {
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

export interface Plan {
  readonly lists: PlannedList[];
  sources: number;
}

/** What one posting adds to a document's sum in a list planned with `w`, `base` and `norm`. */
export function postingScore(packed: number, w: number, base: number, norm: number): number {
  const tf = Math.floor(packed / PACK);
  return w * (DELTA + (tf * (K1 + 1)) / (tf + base + norm * (packed - tf * PACK)));
}

/**
 * Per-query arrays indexed by document slot, reused from query to query: the score sum, the terms
 * matched (a bit mask, or the last term), a stamp telling this query's documents from older ones,
 * the documents touched in order, and the pruned search's candidates.
 */
export class Scratch {
  scores = new Float64Array(0);
  matched = new Int32Array(0);
  lastTerm = new Int32Array(0);
  stamp = new Uint32Array(0);
  touched = new Int32Array(0);
  cands = new Int32Array(0);
  epoch = 0;

  /** A fresh query over `slots` slots: returns its stamp. */
  begin(slots: number): number {
    if (this.scores.length < slots) {
      const size = Math.max(slots, this.scores.length * 2, 64);
      this.scores = new Float64Array(size);
      this.matched = new Int32Array(size);
      this.lastTerm = new Int32Array(size);
      this.stamp = new Uint32Array(size);
      this.touched = new Int32Array(size);
      this.cands = new Int32Array(size);
      this.epoch = 0;
    }
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}
