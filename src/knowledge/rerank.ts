import { STOP_WORDS } from '../core/index.js';

/**
 * The second stage of a search: the best candidates of the full-text ranking (BM25+), reordered
 * by what a score summed over words does not see.
 *
 * - Heading: a section whose own heading names what the viewer asks about is the place to send
 *   them ("InfiniBand" rather than a "Diagnostics" section under an "InfiniBand" chapter that
 *   says the word often). Its score is multiplied by 1 + HEADING_COVERAGE × (the share of the
 *   query's words, weighted by rarity, found in the heading) + HEADING_PHRASE × (the share of
 *   the query's neighbouring word pairs that are neighbours in the heading, stop-words kept:
 *   "how many GPUs" in "Tell how many GPUs do you need").
 * - Links: a section that links to another candidate section of another note, when that one
 *   scores at least LINK_RATIO of it, is put just below it. A summary page lists a chapter with a
 *   link and a few of its words; the chapter is where the answer is.
 *
 * Pure: it reads only what it is given, so it is tested on its own (test/unit/rerank.test.ts).
 */

export const HEADING_COVERAGE = 0.5;
export const HEADING_PHRASE = 1;
export const LINK_RATIO = 0.7;

/** What the reranking knows of a query. */
export interface RerankQuery {
  /**
   * The query's words, each as the terms that stand for it (processed as the index does: the
   * word, an abbreviation's long form, its parts...), with its weight (inverse document frequency).
   */
  readonly sources: ReadonlyArray<{ readonly terms: readonly string[]; readonly idf: number }>;
  /** The query's words in order, stop-words kept, normalised as `headingWords` are. */
  readonly words: readonly string[];
}

/** What the reranking knows of a candidate section. */
export interface RerankDoc {
  /** Its own heading (not its parents'), as processed terms. */
  readonly heading: readonly string[];
  /** Its own heading as words, stop-words kept, in order. */
  readonly headingWords: readonly string[];
  /** Where its links go, resolved: a note's address, with `#anchor` for a section. */
  readonly links: readonly string[];
  readonly url: string;
  /** Its note's address (`url` without the anchor). */
  readonly note: string;
  /** The note (or feed) it belongs to. */
  readonly group: string;
}

export interface Candidate<T> {
  readonly item: T;
  readonly doc: RerankDoc;
  score: number;
}

/** Whether a query term and a heading term are the same word (a prefix counts from five letters). */
function meets(q: string, h: string): boolean {
  return q === h || (q.length >= 5 && h.startsWith(q)) || (h.length >= 5 && q.startsWith(h));
}

/** The heading factor of a candidate (at least 1). */
export function headingFactor(query: RerankQuery, doc: RerankDoc): number {
  let covered = 0;
  let total = 0;
  for (const { terms, idf } of query.sources) {
    total += idf;
    search: for (const h of doc.heading) {
      for (const q of terms) {
        if (meets(q, h)) {
          covered += idf;
          break search;
        }
      }
    }
  }
  const { words } = query;
  let pairs = 0;
  let found = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    // Two stop-words together ("how to", "do i") say nothing.
    if (STOP_WORDS.has(words[i]!) && STOP_WORDS.has(words[i + 1]!)) continue;
    pairs++;
    const h = doc.headingWords;
    for (let j = 0; j + 1 < h.length; j++) {
      if (h[j] === words[i] && h[j + 1] === words[i + 1]) {
        found++;
        break;
      }
    }
  }
  return 1 + HEADING_COVERAGE * (total ? covered / total : 0) + HEADING_PHRASE * (pairs ? found / pairs : 0);
}

/**
 * Reorders candidates (sorted, best first) by the heading factor and the links rule; returns
 * them sorted, best first. Scores are changed in place.
 */
export function rerank<T>(candidates: Array<Candidate<T>>, query: RerankQuery): Array<Candidate<T>> {
  for (const c of candidates) c.score *= headingFactor(query, c.doc);
  candidates.sort((a, b) => b.score - a.score);
  // The best candidate of each section and of each note (the first met, in rank order).
  const bySection = new Map<string, Candidate<T>>();
  const byNote = new Map<string, Candidate<T>>();
  for (const c of candidates) {
    if (!bySection.has(c.doc.url)) bySection.set(c.doc.url, c);
    if (!byNote.has(c.doc.note)) byNote.set(c.doc.note, c);
  }
  let moved = false;
  for (const a of candidates) {
    for (const link of a.doc.links) {
      const b = link.includes('#') ? bySection.get(link) : byNote.get(link);
      if (!b || b === a || b.doc.group === a.doc.group) continue;
      if (a.score >= b.score && b.score >= LINK_RATIO * a.score) {
        a.score = b.score * (1 - 1e-6);
        moved = true;
      }
    }
  }
  if (moved) candidates.sort((a, b) => b.score - a.score);
  return candidates;
}
