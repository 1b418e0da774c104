import { stemmer } from 'stemmer';
import { normalizeText, STOP_WORDS } from '../core/index.js';
import { Bm25Index, tokenize, type QueryOptions, type TopHits } from './bm25.js';
import type { KnowledgeDoc, SearchResult } from './documents.js';

/** Field weights: a word in a heading says more than the same word in a paragraph. */
export const FIELD_BOOST = { headings: 3, title: 2, tags: 3, body: 1 } as const;
/** The indexed fields, in the order Bm25Index numbers them. */
export const FIELDS = ['title', 'headings', 'tags', 'body'] as const;
export const fieldTexts = (d: KnowledgeDoc): string[] => [d.noteTitle, [...d.parents, d.heading].join(' '), d.tags.join(' '), d.body];

/** Index and query terms: normalised, stop-words dropped, Porter-stemmed ("reproducible" and
 * "reproducibility" meet). */
export function processTerm(term: string): string | null {
  const t = normalizeText(term);
  if (!t || STOP_WORDS.has(t)) return null;
  return stemmer(t);
}

/** The processed words of a text, in order, repeats kept. */
function textTerms(text: string): string[] {
  return tokenize(text).map(processTerm).filter((t): t is string => Boolean(t));
}

/**
 * A query's words: its first MAX_QUERY_WORDS distinct ones. A viewer's question has far fewer;
 * the cap bounds the work a 500-character message of made-up words can cause (each of them would
 * go through the typo search).
 */
const MAX_QUERY_WORDS = 16;
function queryTerms(query: string): string[] {
  const all = textTerms(query);
  const keep = new Set<string>();
  for (const t of all) if (keep.size < MAX_QUERY_WORDS) keep.add(t);
  return all.filter((t) => keep.has(t));
}

/**
 * Two neighbouring words of the query written as one, when the notes write them so: "time limit"
 * also looks for "timelimit", "check point" for "checkpoint", "set up" for "setup".
 */
function compounds(query: string, known: (term: string) => boolean): string[] {
  const words = tokenize(query).map(normalizeText).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = processTerm(words[i]! + words[i + 1]!);
    if (joined && joined.length >= 6 && known(joined)) out.push(joined);
  }
  return out;
}

/** The distinct processed words of a text. */
const distinctTerms = (text: string): string[] => [...new Set(textTerms(text))];

/** How many hits are looked at for note-level support, and how much that support counts. */
const GROUP_WINDOW = 60;
const GROUP_WEIGHT = 0.1;
const KIND_BIT: Record<KnowledgeDoc['kind'], number> = { section: 1, article: 2, link: 4 };
const ALL_KINDS = 7;

/** Prefix matching for longer words; typo tolerance (a quarter of the word's letters) only as a
 * fallback, both weighted well below an exact match. */
const EXACT_AND_PREFIX: QueryOptions = {
  boosts: FIELDS.map((f) => FIELD_BOOST[f]),
  prefix: (term) => term.length >= 5,
  fuzzy: () => 0,
  prefixWeight: 0.3,
  fuzzyWeight: 0.2,
  // Words of seven letters or more also meet indexed words up to three letters shorter.
  backoff: (term) => (term.length >= 7 ? 3 : 0),
};
const WITH_TYPOS: QueryOptions = { ...EXACT_AND_PREFIX, fuzzy: (term) => (term.length >= 5 ? Math.min(2, Math.round(term.length * 0.25)) : 0) };

/** The topic boost per slot, and its largest value (a bound for the pruned search). */
interface Related {
  readonly boosts: Float64Array;
  readonly max: number;
}

export interface SearchOptions {
  readonly limit?: number;
  /** The topic being explained: documents that mention it rank higher. */
  readonly topic?: string;
  readonly kinds?: ReadonlyArray<KnowledgeDoc['kind']>;
  /**
   * Keep only results that match at least this share of the query's words (0..1). Chat answers
   * use it so that one common word in common is "nothing matches", not a wrong link.
   */
  readonly minMatch?: number;
}

/**
 * The full-text index over every document (BM25+ in Bm25Index): field boosts, stop-words and
 * stemming, prefix matching for longer words and typo tolerance weighted well below exact
 * matches; a boost for what relates to the current topic; a share of score for sections whose
 * note has other matching sections; documents added and removed by group (a note file, a feed),
 * so a changed note is re-indexed on its own.
 */
export class SearchIndex {
  private readonly index = new Bm25Index(FIELDS.length, processTerm);
  /** Score every matching document instead of the pruned top-k search (same results; for the
   * bench and the tests). */
  private readonly exhaustive: boolean;

  constructor(options: { exhaustive?: boolean } = {}) {
    this.exhaustive = options.exhaustive ?? false;
  }

  private readonly bySlot: Array<KnowledgeDoc | undefined> = [];
  private readonly groups = new Map<string, number[]>();
  /** Which documents have a word in their title, headings or tags: the topic boost's lookup. */
  private readonly headIndex = new Map<string, Set<number>>();
  private readonly headWords = new Map<number, string[]>();
  /** Bumped on every change, so that cached topic boosts are recomputed. */
  private version = 0;
  private related: { topic: string; version: number; boosts: Related | undefined } | undefined;
  /** Each slot's kind as a bit (KIND_BIT), so that filtering by kind is one AND. */
  private readonly kindBits: number[] = [];

  get size(): number {
    return this.index.size;
  }

  private *docs(): Iterable<KnowledgeDoc> {
    for (const d of this.bySlot) if (d) yield d;
  }

  count(kind: KnowledgeDoc['kind']): number {
    let n = 0;
    for (const d of this.docs()) if (d.kind === kind) n++;
    return n;
  }

  /** Replaces every document of a group (a note file, a feed) with these. */
  replaceGroup(group: string, docs: readonly KnowledgeDoc[]): void {
    this.removeGroup(group);
    this.version++;
    const slots: number[] = [];
    for (const d of docs) {
      const slot = this.index.add(fieldTexts(d));
      this.bySlot[slot] = d;
      this.kindBits[slot] = KIND_BIT[d.kind];
      slots.push(slot);
      const words = distinctTerms(`${d.noteTitle} ${d.parents.join(' ')} ${d.heading} ${d.tags.join(' ')}`);
      this.headWords.set(slot, words);
      for (const w of words) (this.headIndex.get(w) ?? this.headIndex.set(w, new Set()).get(w)!).add(slot);
    }
    this.groups.set(group, slots);
  }

  removeGroup(group: string): void {
    const slots = this.groups.get(group);
    if (!slots) return;
    this.version++;
    this.index.remove(slots);
    for (const slot of slots) {
      this.bySlot[slot] = undefined;
      this.kindBits[slot] = 0;
      for (const w of this.headWords.get(slot) ?? []) {
        const set = this.headIndex.get(w);
        set?.delete(slot);
        if (set?.size === 0) this.headIndex.delete(w);
      }
      this.headWords.delete(slot);
    }
    this.groups.delete(group);
  }

  /** The most recent document of a kind (articles by publication date). */
  newest(kind: KnowledgeDoc['kind']): SearchResult | undefined {
    let best: KnowledgeDoc | undefined;
    for (const d of this.docs()) if (d.kind === kind && (!best || (d.published ?? 0) > (best.published ?? 0))) best = d;
    return best ? { title: best.title, url: best.url, source: best.source, kind: best.kind, score: 0, doc: best } : undefined;
  }

  /**
   * Documents whose title, headings or tags share words with the topic, and their boost: up to
   * 1.5 times the score when they share all of them. Kept until the topic or the index changes.
   */
  private relatedTo(topic: string): Related | undefined {
    if (this.related?.topic === topic && this.related.version === this.version) return this.related.boosts;
    const topicTerms = distinctTerms(topic);
    let boosts: Float64Array | undefined;
    let max = 1;
    for (const t of topicTerms) {
      for (const slot of this.headIndex.get(t) ?? []) {
        boosts ??= new Float64Array(this.bySlot.length).fill(1);
        boosts[slot]! += 0.5 / topicTerms.length;
        if (boosts[slot]! > max) max = boosts[slot]!;
      }
    }
    const related = boosts ? { boosts, max } : undefined;
    this.related = { topic, version: this.version, boosts: related };
    return related;
  }

  /**
   * The best GROUP_WINDOW hits of the wanted kinds, and the best of those that match at least
   * `minMatched` distinct query words. The pruned search (Bm25Index.top) finds exactly what
   * scoring every document would; the exhaustive one is kept for comparison (`exhaustive`).
   */
  private collect(terms: readonly string[], options: QueryOptions, kindMask: number, related: Related | undefined, minMatched: number, exhaustive: boolean): TopHits {
    const want = {
      k: GROUP_WINDOW,
      minMatched,
      ...(kindMask !== ALL_KINDS ? { filter: { bits: this.kindBits, mask: kindMask } } : {}),
      ...(related ? { boost: related.boosts, boostMax: related.max } : {}),
    };
    return exhaustive ? this.index.topExhaustive(terms, options, want) : this.index.top(terms, options, want);
  }

  search(query: string, opts: SearchOptions = {}): SearchResult[] {
    const limit = opts.limit ?? 10;
    const words = queryTerms(query);
    if (!words.length) return [];
    // minMatch is a share of the viewer's own words; a compound is one more way to match them.
    const distinct = new Set(words).size;
    const terms = [...words, ...compounds(query, (t) => this.index.has(t)).filter((c) => !words.includes(c))];
    const related = opts.topic ? this.relatedTo(opts.topic) : undefined;
    const kindMask = opts.kinds ? opts.kinds.reduce((m, k) => m | KIND_BIT[k], 0) : ALL_KINDS;
    const minMatched = opts.minMatch ? opts.minMatch * distinct : 0;
    // Exact words and prefixes first; typo tolerance (the expensive part) only when that finds
    // little, so a typo can help a query but never slow down or outrank a good one.
    // The pruned search counts what it found exactly only up to GROUP_WINDOW.
    const exhaustive = this.exhaustive || limit > GROUP_WINDOW;
    let hits = this.collect(terms, EXACT_AND_PREFIX, kindMask, related, minMatched, exhaustive);
    if (hits.found < limit) hits = this.collect(terms, WITH_TYPOS, kindMask, related, minMatched, exhaustive);
    // A note where several sections match is more likely the one that answers than a note that
    // mentions the words once: each section gets a share of its note's other matching sections.
    const byGroup = new Map<string, number[]>();
    for (const h of hits.all) {
      const g = this.bySlot[h.slot]!.group;
      (byGroup.get(g) ?? byGroup.set(g, []).get(g)!).push(h.score);
    }
    const ranked = hits.matching.map((h) => {
      const doc = this.bySlot[h.slot]!;
      // The group's scores are in rank order already: the best three others.
      let support = 0;
      let taken = 0;
      for (const x of byGroup.get(doc.group) ?? []) {
        if (x === h.score) continue;
        support += x;
        if (++taken === 3) break;
      }
      return { doc, score: h.score + GROUP_WEIGHT * support };
    });
    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, limit).map(({ doc, score }) => ({ title: doc.title, url: doc.url, source: doc.source, kind: doc.kind, score: Math.round(score * 1000) / 1000, doc }));
  }
}
