import { normalizeText } from '../core/index.js';
import { Bm25Index, tokenize, type QueryOptions, type QueryTerm, type TopHits } from './bm25.js';
import type { KnowledgeDoc, SearchResult } from './documents.js';
import { findAbbreviations, findNumeronyms, Lexicon } from './lexicon.js';
import { analyzeQuery, numberedParts, type Vocabulary } from './query.js';
import { HeadingVocabulary, rerank, rerankQuery, type Candidate, type RerankDoc } from './rerank.js';
import { linkTargets, processTerm, readableText, safeDecode, textTerms, wordsOnly } from './text.js';

export { processTerm, readableText } from './text.js';

/** Field weights: a word in a heading says more than the same word in a paragraph. */
export const FIELD_BOOST = { headings: 3, title: 2, tags: 3, body: 1 } as const;
/** The indexed fields, in the order Bm25Index numbers them. */
export const FIELDS = ['title', 'headings', 'tags', 'body'] as const;
/** The text of each field, as indexed: the body's links without their targets, symbols as spaces. */
export const fieldTexts = (d: KnowledgeDoc): string[] =>
  [d.noteTitle, [...d.parents, d.heading].join(' '), d.tags.join(' '), readableText(d.body)].map(wordsOnly);

/** The distinct processed words of a text. */
const distinctTerms = (text: string): string[] => [...new Set(textTerms(text))];

/**
 * How many hits the full-text ranking hands to the second stage: the candidates the reranking
 * reorders, and among which a note's other sections give support.
 */
const WINDOW = 30;
/** How much a section's note's other matching sections count (a tenth of the best three). */
const GROUP_WEIGHT = 0.1;
const NO_LINKS: readonly string[] = [];
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
 * The full-text index over every document, and the search in two stages.
 *
 * 1. Full text (BM25+ in Bm25Index, exact top-k by MaxScore): field boosts, stop-words and
 *    stemming, prefix matching for longer words, typo tolerance weighted well below exact
 *    matches, the query's words with what stands for them (`analyzeQuery`: abbreviations the
 *    notes define, compounds split and joined, other spellings), a boost for what relates to the
 *    current topic; the best WINDOW hits.
 * 2. Among those: a share of score for sections whose note has other matching sections, then the
 *    reranking (`rerank`: own heading, phrases in it, summary pages below the chapters they link
 *    to).
 *
 * Documents are added and removed by group (a note file, a feed), so a changed note is
 * re-indexed on its own.
 */
export class SearchIndex {
  private readonly index = new Bm25Index(FIELDS.length, processTerm, (term, present) => this.numberedTerm(term, present));
  /** Indexed terms of letters then digits, by first letter and digits ("b16": bf16, bfloat16). */
  private readonly numbered = new Map<string, Set<string>>();
  /** Score every matching document instead of the pruned top-k search (same results; for the
   * bench and the tests). */
  private readonly exhaustive: boolean;
  private readonly bySlot: Array<KnowledgeDoc | undefined> = [];
  /** What the reranking reads of each slot, and the ids of heading words. */
  private readonly rerankDocs: Array<RerankDoc | undefined> = [];
  private readonly headingVocabulary = new HeadingVocabulary();
  private readonly groups = new Map<string, number[]>();
  /** Which documents have a word in their title, headings or tags: the topic boost's lookup. */
  private readonly headIndex = new Map<string, Set<number>>();
  private readonly headWords = new Map<number, string[]>();
  /** Abbreviations the notes define ("Model FLOPS Utilization (MFU)"). */
  private readonly lexicon = new Lexicon();
  /** Bumped on every change, so that cached topic boosts are recomputed. */
  private version = 0;
  private related: { topic: string; version: number; boosts: Related | undefined } | undefined;
  /** Each slot's kind as a bit (KIND_BIT), so that filtering by kind is one AND. */
  private readonly kindBits: number[] = [];
  /** Each slot's group as a number (groups numbered on first sight). */
  private readonly groupOf: number[] = [];
  private readonly groupIds = new Map<string, number>();

  constructor(options: { exhaustive?: boolean } = {}) {
    this.exhaustive = options.exhaustive ?? false;
  }

  get size(): number {
    return this.index.size;
  }

  /** Postings read by the searches so far (see Bm25Index.postingsRead). */
  get postingsRead(): number {
    return this.index.postingsRead;
  }

  private numberedTerm(term: string, present: boolean): void {
    const parts = numberedParts(term);
    if (!parts) return;
    const key = `${parts[0][0]}${parts[1]}`;
    if (present) (this.numbered.get(key) ?? this.numbered.set(key, new Set()).get(key)!).add(term);
    else {
      const set = this.numbered.get(key);
      set?.delete(term);
      if (set?.size === 0) this.numbered.delete(key);
    }
  }

  /** What the query analysis reads of the index. */
  private readonly vocabulary: Vocabulary = {
    has: (term) => this.index.has(term),
    frequency: (term) => this.index.frequency(term),
    numbered: (first, digits) => this.numbered.get(`${first}${digits}`) ?? [],
  };

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
      this.groupOf[slot] = this.groupIds.get(d.group) ?? this.groupIds.set(d.group, this.groupIds.size).get(d.group)!;
      const heading = d.heading || d.noteTitle;
      // Links to other notes of the same site (the only ones that can meet another candidate).
      const url = safeDecode(d.url);
      const note = url.replace(/#.*$/, '');
      const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url)?.[0];
      const links = origin ? [...new Set(linkTargets(d.body, d.url))].filter((l) => l.startsWith(origin) && !l.startsWith(`${note}#`) && l !== note) : [];
      const ids = this.headingVocabulary.heading(heading);
      const bodyPairs = this.headingVocabulary.pairs(wordsOnly(readableText(d.body)));
      this.rerankDocs[slot] = { heading: ids.terms, headingWords: ids.words, bodyPairs, links: links.length ? links : NO_LINKS, url: d.url, group: d.group };
      slots.push(slot);
      const words = distinctTerms(`${d.noteTitle} ${d.parents.join(' ')} ${d.heading} ${d.tags.join(' ')}`);
      this.headWords.set(slot, words);
      for (const w of words) (this.headIndex.get(w) ?? this.headIndex.set(w, new Set()).get(w)!).add(slot);
    }
    this.groups.set(group, slots);
    this.lexicon.set(group, [
      ...docs.flatMap((d) => findAbbreviations(`${d.heading}\n${d.body}`, processTerm, tokenize, normalizeText)),
      ...findNumeronyms(docs.map((d) => `${d.noteTitle}\n${d.heading}\n${d.body}`).join('\n'), processTerm),
    ]);
  }

  removeGroup(group: string): void {
    const slots = this.groups.get(group);
    if (!slots) return;
    this.version++;
    this.index.remove(slots);
    for (const slot of slots) {
      this.bySlot[slot] = undefined;
      this.rerankDocs[slot] = undefined;
      this.kindBits[slot] = 0;
      for (const w of this.headWords.get(slot) ?? []) {
        const set = this.headIndex.get(w);
        set?.delete(slot);
        if (set?.size === 0) this.headIndex.delete(w);
      }
      this.headWords.delete(slot);
    }
    this.groups.delete(group);
    this.lexicon.remove(group);
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
   * The best WINDOW hits of the wanted kinds, and the best of those that match at least
   * `minMatched` distinct query words. The pruned search (Bm25Index.top) finds exactly what
   * scoring every document would; the exhaustive one is kept for comparison (`exhaustive`).
   */
  private collect(
    terms: readonly QueryTerm[],
    options: QueryOptions,
    kindMask: number,
    related: Related | undefined,
    minMatched: number,
    exhaustive: boolean,
  ): TopHits {
    const want = {
      k: WINDOW,
      minMatched,
      ...(kindMask !== ALL_KINDS ? { filter: { bits: this.kindBits, mask: kindMask } } : {}),
      ...(related ? { boost: related.boosts, boostMax: related.max } : {}),
    };
    return exhaustive ? this.index.topExhaustive(terms, options, want) : this.index.top(terms, options, want);
  }

  search(query: string, opts: SearchOptions = {}): SearchResult[] {
    const limit = opts.limit ?? 10;
    const analyzed = analyzeQuery(query, this.vocabulary, this.lexicon);
    const { words, terms } = analyzed;
    if (!words.length) return [];
    // minMatch is a share of the viewer's own words; a compound is one more way to match them.
    const distinct = new Set(words).size;
    const related = opts.topic ? this.relatedTo(opts.topic) : undefined;
    const kindMask = opts.kinds ? opts.kinds.reduce((m, k) => m | KIND_BIT[k], 0) : ALL_KINDS;
    const minMatched = opts.minMatch ? opts.minMatch * distinct : 0;
    // The pruned search counts what it found exactly only up to WINDOW.
    const exhaustive = this.exhaustive || limit > WINDOW;
    // Exact words and prefixes first; typo tolerance (the expensive part) only when that finds
    // little, so a typo can help a query but never slow down or outrank a good one.
    let hits = this.collect(terms, EXACT_AND_PREFIX, kindMask, related, minMatched, exhaustive);
    if (hits.found < limit) hits = this.collect(terms, WITH_TYPOS, kindMask, related, minMatched, exhaustive);
    // A note where several sections match is more likely the one that answers than a note that
    // mentions the words once: each section gets a share of its note's other matching sections
    // (the best three others among all the hits, which are in rank order).
    const { all } = hits;
    const candidates: Array<Candidate<KnowledgeDoc>> = hits.matching.map((h) => {
      const group = this.groupOf[h.slot];
      let support = 0;
      let taken = 0;
      for (let i = 0; i < all.length && taken < 3; i++) {
        const x = all[i]!;
        if (x.slot === h.slot || this.groupOf[x.slot] !== group) continue;
        support += x.score;
        taken++;
      }
      return { item: this.bySlot[h.slot]!, doc: this.rerankDocs[h.slot]!, score: h.score + GROUP_WEIGHT * support };
    });
    const N = this.index.size;
    const sources = analyzed.groups.map((group) => {
      const df = Math.max(1, this.index.frequency(group[0]!));
      return { terms: group, idf: Math.log(1 + (N - df + 0.5) / (df + 0.5)) };
    });
    const ranked = rerank(candidates, rerankQuery(sources, analyzed.plain, this.headingVocabulary));
    return ranked
      .slice(0, limit)
      .map(({ item: doc, score }) => ({ title: doc.title, url: doc.url, source: doc.source, kind: doc.kind, score: Math.round(score * 1000) / 1000, doc }));
  }
}
