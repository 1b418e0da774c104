import SearchableMap from 'minisearch/SearchableMap';
import { STOP_WORDS } from '../core/index.js';
import { plainWords, safeDecode, textTerms } from './text.js';

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

/**
 * Heading terms and words as small integers, so that comparing a query with thirty headings reads
 * a few integer arrays rather than dozens of strings scattered in memory. It only grows (by the
 * words headings use).
 */
export class HeadingVocabulary {
  /** Processed terms (as the index has them), in a radix tree for prefixes. */
  private readonly terms = new SearchableMap<number>();
  /** Plain words (stop-words kept, lightly stemmed). */
  private readonly words = new Map<string, number>();
  private nextTerm = 0;

  /** A heading's terms and words as ids (assigned on first sight). */
  heading(text: string): { terms: number[]; words: number[] } {
    return {
      terms: textTerms(text).map((t) => this.terms.fetch(t, () => this.nextTerm++)),
      words: plainWords(text).map((w) => this.words.get(w) ?? this.words.set(w, this.words.size).get(w)!),
    };
  }

  /**
   * The heading terms a query term meets, as ids: itself, the longer ones it is a prefix of and
   * the shorter ones that are a prefix of it, from five letters ("checkpoint", "checkpointing").
   */
  meets(term: string): number[] {
    const out: number[] = [];
    const exact = this.terms.get(term);
    if (exact !== undefined) out.push(exact);
    if (term.length >= 5) {
      for (const [word, id] of this.terms.atPrefix(term)) if (word !== term) out.push(id);
      for (let k = 5; k < term.length; k++) {
        const id = this.terms.get(term.slice(0, k));
        if (id !== undefined) out.push(id);
      }
    }
    return out;
  }

  wordId(word: string): number {
    return this.words.get(word) ?? -1;
  }
}

/** What the reranking knows of a query. */
export interface RerankQuery {
  /** For a heading term id, the query words it stands for (a bit per word, by index in `idf`). */
  readonly match: ReadonlyMap<number, number>;
  /** Each query word's weight (inverse document frequency). */
  readonly idf: readonly number[];
  /** The query's neighbouring word pairs that count, as word ids: [a0, b0, a1, b1, ...]. */
  readonly pairs: Int32Array;
}

/**
 * A query for the reranking: its words, each as the (processed) terms that stand for it with a
 * weight (the first 31 count), and its plain words in order (see `plainWords`).
 */
export function rerankQuery(
  sources: ReadonlyArray<{ readonly terms: readonly string[]; readonly idf: number }>,
  words: readonly string[],
  vocabulary: HeadingVocabulary,
): RerankQuery {
  const match = new Map<number, number>();
  const idf: number[] = [];
  for (const [i, s] of sources.slice(0, 31).entries()) {
    idf.push(s.idf);
    for (const t of s.terms) for (const id of vocabulary.meets(t)) match.set(id, (match.get(id) ?? 0) | (1 << i));
  }
  const pairs: number[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    // Two stop-words together ("how to", "do i") say nothing.
    if (STOP_WORDS.has(words[i]!) && STOP_WORDS.has(words[i + 1]!)) continue;
    pairs.push(vocabulary.wordId(words[i]!), vocabulary.wordId(words[i + 1]!));
  }
  return { match, idf, pairs: Int32Array.from(pairs) };
}

/** What the reranking knows of a candidate section. */
export interface RerankDoc {
  /** Its own heading (not its parents'): term ids and word ids (`HeadingVocabulary`). */
  readonly heading: readonly number[];
  readonly headingWords: readonly number[];
  /** Where its links go, resolved and percent-decoded: a note's address, with `#anchor` for a
   * section. */
  readonly links: readonly string[];
  /** Its address (as the index has it; decoded when compared with links). */
  readonly url: string;
  /** The note (or feed) it belongs to. */
  readonly group: string;
}

export interface Candidate<T> {
  readonly item: T;
  readonly doc: RerankDoc;
  score: number;
}

/** The heading factor of a candidate (at least 1). */
export function headingFactor(query: RerankQuery, doc: RerankDoc): number {
  let covered = 0;
  for (const id of doc.heading) covered |= query.match.get(id) ?? 0;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < query.idf.length; i++) {
    total += query.idf[i]!;
    if (covered & (1 << i)) sum += query.idf[i]!;
  }
  // Each pair of the query found in the heading counts once.
  const { pairs } = query;
  const w = doc.headingWords;
  let found = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    for (let j = 0; j + 1 < w.length; j++) {
      if (w[j] === pairs[i] && w[j + 1] === pairs[i + 1]) {
        found++;
        break;
      }
    }
  }
  const nPairs = pairs.length / 2;
  return 1 + HEADING_COVERAGE * (total ? sum / total : 0) + HEADING_PHRASE * (nPairs ? found / nPairs : 0);
}

/**
 * Reorders candidates (sorted, best first) by the heading factor and the links rule; returns
 * them sorted, best first. Scores are changed in place.
 */
export function rerank<T>(candidates: Array<Candidate<T>>, query: RerankQuery): Array<Candidate<T>> {
  let links = false;
  for (const c of candidates) {
    c.score *= headingFactor(query, c.doc);
    if (c.doc.links.length) links = true;
  }
  candidates.sort((a, b) => b.score - a.score);
  if (!links) return candidates;
  // The best candidate of each section and of each note (the first met, in rank order).
  const bySection = new Map<string, Candidate<T>>();
  const byNote = new Map<string, Candidate<T>>();
  for (const c of candidates) {
    const url = safeDecode(c.doc.url);
    const hash = url.indexOf('#');
    const note = hash < 0 ? url : url.slice(0, hash);
    if (!bySection.has(url)) bySection.set(url, c);
    if (!byNote.has(note)) byNote.set(note, c);
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
