import { normalizeText } from '../core/index.js';
import { tokenize, type QueryTerm } from './bm25.js';
import type { Lexicon } from './lexicon.js';
import { isSubsequence, plainWords, processTerm, wordsOnly } from './text.js';

/**
 * What a viewer's question looks for, written as chat writes it: abbreviations the notes define,
 * words the notes write as one or in two, other spellings of numbered names.
 *
 * Each of the viewer's words is a group of terms (Bm25Index counts a group once in "how many of
 * the words match"): the word itself, and
 * - the long form of an abbreviation the notes define ("mfu" → model flops utilization), each
 *   word weighted 1/√n of an n-word long form;
 * - for a word the notes (almost) never write, its two parts where the notes have both
 *   ("multinode" → multi node, "zero3" → zero 3);
 * - for a word of letters then digits, the other spellings the notes use: same first letter,
 *   same digits, one's letters in order within the other's ("bfloat16" → bf16), weighted 0.7.
 * Besides, as groups of their own: two neighbouring words the notes write as one ("time limit"
 * → timelimit) and the abbreviation of a long form the viewer wrote out ("tensor parallelism" →
 * tp).
 */

/** A query counts its first MAX_QUERY_WORDS distinct words (see SearchIndex). */
export const MAX_QUERY_WORDS = 16;
/** A word in at most this many documents is "rare": its parts are looked for too. */
export const RARE = 2;
/** Weights of the alternatives, relative to the viewer's own word (1). */
export const ABBREVIATION_WEIGHT = 1;
export const SPLIT_WEIGHT = 1;
export const VARIANT_WEIGHT = 0.7;

/** What the analysis needs to know of the index. */
export interface Vocabulary {
  has(term: string): boolean;
  /** How many documents have the term (in the field where most do). */
  frequency(term: string): number;
  /** The indexed terms of letters then digits with this first letter and these digits. */
  numbered(first: string, digits: string): Iterable<string>;
}

/** A term of letters then digits ("bf16", "h100"): [letters, digits], or undefined. */
export function numberedParts(term: string): [string, string] | undefined {
  const m = /^(\p{L}+)(\p{N}+)$/u.exec(term);
  return m ? [m[1]!, m[2]!] : undefined;
}

export interface AnalyzedQuery {
  /** The viewer's words, processed, in order, repeats kept (the first MAX_QUERY_WORDS distinct). */
  readonly words: readonly string[];
  /** What the index looks for. */
  readonly terms: readonly QueryTerm[];
  /** Each group's terms, for the reranking. */
  readonly groups: ReadonlyArray<readonly string[]>;
  /** The query's words with stop-words, for phrases (see `plainWords`). */
  readonly plain: readonly string[];
}

export function analyzeQuery(query: string, vocabulary: Vocabulary, lexicon: Lexicon): AnalyzedQuery {
  const raw = tokenize(wordsOnly(query)).map(normalizeText).filter(Boolean);
  const keep = new Set<string>();
  const all: Array<{ raw: string; term: string }> = [];
  for (const r of raw) {
    const term = processTerm(r);
    if (!term) continue;
    if (keep.size < MAX_QUERY_WORDS) keep.add(term);
    if (keep.has(term)) all.push({ raw: r, term });
  }
  const words = all.map((w) => w.term);
  const terms: QueryTerm[] = [...words];
  const seen = new Set<string>();
  for (const { raw: r, term } of all) {
    if (seen.has(r)) continue;
    seen.add(r);
    // Words of an alternative the viewer wrote anyway are searched already.
    const add = (t: string, weight: number) => {
      if (!keep.has(t)) terms.push({ term: t, weight, group: term });
    };
    const long = lexicon.expand(r)[0];
    if (long) for (const t of long) add(t, ABBREVIATION_WEIGHT / Math.sqrt(long.length));
    if (vocabulary.frequency(term) <= RARE) {
      const parts = split(r, vocabulary);
      if (parts) for (const t of parts) add(t, SPLIT_WEIGHT);
    }
    for (const v of variants(r, vocabulary)) add(v, VARIANT_WEIGHT);
  }
  for (const c of lexicon.contract(words)) {
    const t = processTerm(c.short);
    if (t && !keep.has(t)) terms.push({ term: t, group: `abbreviation:${t}` });
  }
  for (const c of compounds(raw, vocabulary)) if (!keep.has(c)) terms.push(c);
  const groups = new Map<string, Set<string>>();
  for (const t of terms) {
    const { term, group = term } = typeof t === 'string' ? { term: t } : t;
    (groups.get(group) ?? groups.set(group, new Set()).get(group)!).add(term);
  }
  return { words, terms, groups: [...groups.values()].map((g) => [...g]), plain: plainWords(query) };
}

/**
 * Two neighbouring words of the query written as one, when the notes write them so: "time limit"
 * also looks for "timelimit", "check point" for "checkpoint", "set up" for "setup".
 */
function compounds(words: readonly string[], vocabulary: Vocabulary): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = processTerm(words[i]! + words[i + 1]!);
    if (joined && joined.length >= 6 && vocabulary.has(joined) && !out.includes(joined)) out.push(joined);
  }
  return out;
}

/**
 * A word as two that the notes both have (more than RARE times each), at the split that keeps
 * both parts longest (at least three letters each, or a letter-digit boundary: "zero3" but not
 * "p99"), processed; or undefined.
 */
export function split(word: string, vocabulary: Vocabulary): [string, string] | undefined {
  let best: [string, string] | undefined;
  let bestLength = 0;
  for (let i = 1; i < word.length; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    const boundary = /\p{L}/u.test(a.at(-1)!) !== /\p{L}/u.test(b[0]!);
    const shorter = Math.min(a.length, b.length);
    if (shorter <= bestLength || (shorter < 3 && !boundary)) continue;
    // At a letter-digit boundary a number may be one digit ("zero3"), a word not one letter ("p99").
    if (boundary && (/^\p{L}$/u.test(a) || /^\p{L}$/u.test(b))) continue;
    const ta = processTerm(a);
    const tb = processTerm(b);
    if (ta && tb && vocabulary.frequency(ta) > RARE && vocabulary.frequency(tb) > RARE) {
      best = [ta, tb];
      bestLength = shorter;
    }
  }
  return best;
}

/**
 * Other spellings of a word of letters then digits that the notes use: the same digits, letters
 * that start alike (two letters at least on both sides, the same first two) and one's letters in
 * order within the other's: "bf16" and "bfloat16", not "fa4" and "float4".
 */
export function variants(word: string, vocabulary: Vocabulary): string[] {
  const parts = numberedParts(word);
  if (!parts) return [];
  const [letters, digits] = parts;
  const out: string[] = [];
  if (letters.length < 2) return out;
  for (const term of vocabulary.numbered(letters[0]!, digits)) {
    const other = term.slice(0, term.length - digits.length);
    if (term === word || other.length < 2 || other.slice(0, 2) !== letters.slice(0, 2)) continue;
    if (isSubsequence(other, letters) || isSubsequence(letters, other)) out.push(term);
  }
  return out;
}
