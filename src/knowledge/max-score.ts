import { lowerBound, MASK_TERMS, popcount, postingScore, SLACK, sortSlots, type Plan, type Scratch } from './postings.js';
import type { KthBest, TopHits, TopK, TopWanted } from './top-k.js';

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
export function maxScoreTop(
  plan: Plan,
  want: TopWanted,
  scratch: Scratch,
  epoch: number,
  heaps: readonly [TopK, TopK],
  kth: readonly [KthBest, KthBest],
): { hits: TopHits; postingsRead: number } {
  let postingsRead = 0;
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
  const { scores, lastTerm, stamp, touched } = scratch;
  let count = 0;
  // "Or" mode: every document read is kept.
  let j = 0;
  let floors: [number, number] | undefined;
  // The first look happens anyway; later ones when they may succeed.
  let lastFloor = Infinity;
  for (; j < m; j++) {
    const { slots, tfs, bit, w, norm, base } = lists[j]!;
    postingsRead += slots.length;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const s = postingScore(tfs[i]!, w, base, norm);
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
        const f = lowerFloors(scratch, epoch, kth, count, want, touched);
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
  const all = heaps[0].reset(k);
  const matching = minMatched > 0 ? heaps[1].reset(k) : undefined;
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
    const cands = scratch.cands;
    for (let i = 0; i < count; i++) {
      const slot = touched[i]!;
      if (filter && !(filter.bits[slot]! & filter.mask)) {
        stamp[slot] = 0;
        continue;
      }
      found++;
      cands[n++] = slot;
    }
    n = prune(scratch, n, restBound[j]!, restMask[j]!, floors, want);
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
        postingsRead += n;
        for (let c = 0; c < n && p < df; c++) {
          const slot = cands[c]!;
          p = lowerBound(slots, slot, p);
          if (slots[p] !== slot) continue;
          scores[slot]! += postingScore(tfs[p]!, w, base, norm);
          lastTerm[slot]! |= bit;
        }
      } else {
        postingsRead += df;
        for (let i = 0; i < df; i++) {
          const slot = slots[i]!;
          if (stamp[slot] !== epoch) continue;
          scores[slot]! += postingScore(tfs[i]!, w, base, norm);
          lastTerm[slot]! |= bit;
        }
      }
      // Dropping documents pays when there are still many (it costs a pass over them).
      if (j + 1 < m && n > 2 * k) n = prune(scratch, n, restBound[j + 1]!, restMask[j + 1]!, lowerFloors(scratch, epoch, kth, n, want, cands), want);
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
  return { hits: { found, all: best, matching: matching ? matching.best() : best }, postingsRead };
}

/**
 * Lower bounds of the k-th best score, [of all documents, of those matching minMatched terms],
 * from what the documents read so far have (the first `n` of `from`, by default the documents
 * touched): -Infinity where fewer than k are known.
 */
function lowerFloors(scratch: Scratch, epoch: number, kth: readonly [KthBest, KthBest], n: number, want: TopWanted, from: Int32Array): [number, number] {
  const { filter, boost, minMatched, k } = want;
  const { scores, lastTerm, stamp } = scratch;
  // Only the k-th best value matters (not which document has it): heaps of values.
  const all = kth[0].reset(k);
  const matching = minMatched > 0 ? kth[1].reset(k) : undefined;
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
function prune(scratch: Scratch, n: number, rest: number, restMask: number, [floorAll, floorMatch]: [number, number], want: TopWanted): number {
  const { cands, scores, lastTerm, stamp } = scratch;
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
