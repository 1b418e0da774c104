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
 *   "how many GPUs" in "Tell how many GPUs do you need") + BODY_PHRASE × (the share of the
 *   query's neighbouring content words, stop-words left out, that are neighbours in the body:
 *   "spare nodes" in "have a few spare nodes"). A body phrase says less than a heading phrase:
 *   many sections say "training data" in passing.
 * - Links: a section that links to another candidate section of another note, when that one
 *   scores at least LINK_RATIO of it, is put just below it. A summary page lists a chapter with a
 *   link and a few of its words; the chapter is where the answer is.
 *
 * Pure: it reads only what it is given, so it is tested on its own (test/unit/rerank.test.ts).
 */

export const HEADING_COVERAGE = 0.5;
export const HEADING_PHRASE = 1;
export const LINK_RATIO = 0.7;
export const BODY_PHRASE = 0.6;

/** A pair of word ids as one number (for the sorted pair lists of bodies). */
const pairKey = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ b) >>> 0;

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

  /** A text's neighbouring word pairs (`plainWords`) as sorted, distinct numbers. */
  pairs(text: string): Uint32Array {
    const ids = plainWords(text)
      .filter((w) => !STOP_WORDS.has(w))
      .map((w) => this.words.get(w) ?? this.words.set(w, this.words.size).get(w)!);
    const out = new Uint32Array(Math.max(0, ids.length - 1));
    for (let i = 0; i + 1 < ids.length; i++) out[i] = pairKey(ids[i]!, ids[i + 1]!);
    out.sort();
    let n = 0;
    for (let i = 0; i < out.length; i++) if (!n || out[i] !== out[n - 1]) out[n++] = out[i]!;
    return out.slice(0, n);
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
  /** Its neighbouring content words (stop-words left out) as pair keys, for the body. */
  readonly bodyPairs: Uint32Array;
  /** How many neighbouring content-word pairs the query has (known to the notes or not). */
  readonly contentPairs: number;
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
  // Neighbouring content words (stop-words and fillers left out on both sides): "spare nodes" in
  // "a few spare nodes", "cuda cores vs tensor cores" in "CUDA Cores ... Tensor Cores".
  const content = words.filter((w) => !STOP_WORDS.has(w)).map((w) => vocabulary.wordId(w));
  const bodyPairs = new Set<number>();
  for (let i = 0; i + 1 < content.length; i++) if (content[i]! >= 0 && content[i + 1]! >= 0) bodyPairs.add(pairKey(content[i]!, content[i + 1]!));
  return { match, idf, pairs: Int32Array.from(pairs), bodyPairs: Uint32Array.from(bodyPairs), contentPairs: Math.max(0, content.length - 1) };
}

/** What the reranking knows of a candidate section. */
export interface RerankDoc {
  /** Its own heading (not its parents'): term ids and word ids (`HeadingVocabulary`). */
  readonly heading: readonly number[];
  readonly headingWords: readonly number[];
  /** Its body's neighbouring word pairs (`HeadingVocabulary.pairs`). */
  readonly bodyPairs: Uint32Array;
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
  let inBody = 0;
  const body = doc.bodyPairs;
  for (const key of query.bodyPairs) {
    let lo = 0;
    let hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (body[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    if (body[lo] === key) inBody++;
  }
  return (
    1 +
    HEADING_COVERAGE * (total ? sum / total : 0) +
    (nPairs ? (HEADING_PHRASE * found) / nPairs : 0) +
    (query.contentPairs ? (BODY_PHRASE * inBody) / query.contentPairs : 0)
  );
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
