import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { normalizeText, STOP_WORDS } from '../core/index.js';
import type { KnowledgeDoc, SearchResult } from './documents.js';

/** Field weights: a word in a heading says more than the same word in a paragraph. */
export const FIELD_BOOST = { headings: 3, title: 2, tags: 3, body: 1 } as const;

/** Index and query terms: normalised, stop-words dropped, Porter-stemmed ("reproducible" and
 * "reproducibility" meet). */
/** The distinct processed words of a query. */
function tokenizeQuery(query: string): string[] {
  const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
  return [...new Set(tokenize(query).map(processTerm).filter((t): t is string => Boolean(t)))];
}

function processTerm(term: string): string | null {
  const t = normalizeText(term);
  if (!t || STOP_WORDS.has(t)) return null;
  return stemmer(t);
}

/** How many hits are looked at for note-level support, and how much that support counts. */
const GROUP_WINDOW = 60;
const GROUP_WEIGHT = 0.1;

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
 * The full-text index over every document (MiniSearch, BM25): field boosts, stop-words and light
 * stemming, prefix matching for longer words and typo tolerance weighted well below exact
 * matches; a boost for what relates to the current topic; documents added and removed by group
 * (a note file), so a changed note is re-indexed on its own.
 */
export class SearchIndex {
  private readonly mini: MiniSearch<KnowledgeDoc>;
  private readonly docs = new Map<string, KnowledgeDoc>();
  private readonly groups = new Map<string, string[]>();
  /** Which documents have a word in their title, headings or tags: the topic boost's lookup. */
  private readonly headIndex = new Map<string, Set<string>>();
  private readonly headWords = new Map<string, string[]>();

  constructor() {
    this.mini = new MiniSearch<KnowledgeDoc>({
      idField: 'id',
      fields: ['title', 'headings', 'tags', 'body'],
      storeFields: [],
      extractField: (doc, field) => {
        switch (field) {
          case 'id':
            return doc.id;
          case 'title':
            return doc.noteTitle;
          case 'headings':
            return [...doc.parents, doc.heading].join(' ');
          case 'tags':
            return doc.tags.join(' ');
          case 'body':
            return doc.body;
          default:
            return '';
        }
      },
      processTerm,
      searchOptions: { processTerm },
    });
  }

  get size(): number {
    return this.docs.size;
  }

  count(kind: KnowledgeDoc['kind']): number {
    let n = 0;
    for (const d of this.docs.values()) if (d.kind === kind) n++;
    return n;
  }

  /** Replaces every document of a group (a note file, a feed) with these. */
  replaceGroup(group: string, docs: readonly KnowledgeDoc[]): void {
    this.removeGroup(group);
    this.mini.addAll(docs as KnowledgeDoc[]);
    for (const d of docs) {
      this.docs.set(d.id, d);
      const words = tokenizeQuery(`${d.noteTitle} ${d.parents.join(' ')} ${d.heading} ${d.tags.join(' ')}`);
      this.headWords.set(d.id, words);
      for (const w of words) (this.headIndex.get(w) ?? this.headIndex.set(w, new Set()).get(w)!).add(d.id);
    }
    this.groups.set(group, docs.map((d) => d.id));
  }

  removeGroup(group: string): void {
    const ids = this.groups.get(group);
    if (!ids) return;
    for (const id of ids) {
      this.mini.discard(id);
      this.docs.delete(id);
      for (const w of this.headWords.get(id) ?? []) this.headIndex.get(w)?.delete(id);
      this.headWords.delete(id);
    }
    this.groups.delete(group);
  }

  /** The most recent document of a kind (articles by publication date). */
  newest(kind: KnowledgeDoc['kind']): SearchResult | undefined {
    let best: KnowledgeDoc | undefined;
    for (const d of this.docs.values()) if (d.kind === kind && (!best || (d.published ?? 0) > (best.published ?? 0))) best = d;
    return best ? { title: best.title, url: best.url, source: best.source, kind: best.kind, score: 0, doc: best } : undefined;
  }

  search(query: string, opts: SearchOptions = {}): SearchResult[] {
    const limit = opts.limit ?? 10;
    const topicTerms = new Set(opts.topic ? tokenizeQuery(opts.topic) : []);
    const kinds = opts.kinds ? new Set(opts.kinds) : undefined;
    // Documents whose title or headings share words with the topic: up to 1.5 times the score.
    const related = new Map<string, number>();
    for (const t of topicTerms) {
      for (const id of this.headIndex.get(t) ?? []) related.set(id, (related.get(id) ?? 1) + 0.5 / topicTerms.size);
    }
    const base = {
      boost: { ...FIELD_BOOST },
      combineWith: 'OR' as const,
      ...(kinds ? { filter: (r: { id: string }) => kinds.has(this.docs.get(r.id)!.kind) } : {}),
      ...(related.size ? { boostDocument: (id: string) => related.get(id) ?? 1 } : {}),
    };
    // Exact words and prefixes first; typo tolerance (the expensive part) only when that finds
    // little, so a typo can help a query but never slow down or outrank a good one.
    let hits = this.mini.search(query, { ...base, prefix: (term) => term.length >= 5, weights: { fuzzy: 0.2, prefix: 0.3 } });
    if (hits.length < limit) {
      hits = this.mini.search(query, { ...base, prefix: (term) => term.length >= 5, fuzzy: (term) => (term.length >= 5 ? 0.25 : false), weights: { fuzzy: 0.2, prefix: 0.3 } });
    }
    // A note where several sections match is more likely the one that answers than a note that
    // mentions the words once: each section gets a share of its note's other matching sections.
    const byGroup = new Map<string, number[]>();
    for (const h of hits.slice(0, GROUP_WINDOW)) {
      const g = this.docs.get(h.id as string)!.group;
      (byGroup.get(g) ?? byGroup.set(g, []).get(g)!).push(h.score);
    }
    const queryTerms = new Set(tokenizeQuery(query));
    const enough = (h: { queryTerms: string[] }) =>
      !opts.minMatch || queryTerms.size === 0 || new Set(h.queryTerms).size / queryTerms.size >= opts.minMatch;
    const ranked = hits.filter(enough).slice(0, GROUP_WINDOW).map((h) => {
      const doc = this.docs.get(h.id as string)!;
      const others = (byGroup.get(doc.group) ?? []).filter((x) => x !== h.score).sort((a, b) => b - a).slice(0, 3);
      const support = others.reduce((a, b) => a + b, 0);
      return { doc, score: h.score + GROUP_WEIGHT * support };
    });
    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, limit).map(({ doc, score }) => ({ title: doc.title, url: doc.url, source: doc.source, kind: doc.kind, score: Math.round(score * 1000) / 1000, doc }));
  }
}
