import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { Bm25Index, TopK, type QueryOptions, type TopHits, type TopWanted } from '../../src/knowledge/bm25.js';
import { listNotes, noteDocuments } from '../../src/knowledge/index.js';

/**
 * Our index must score exactly as MiniSearch does with the same settings (it replaced MiniSearch
 * for speed, not for different answers): same documents, same scores, after any sequence of
 * additions and removals.
 */

const FIELDS = ['title', 'headings', 'tags', 'body'];
const BOOSTS = [2, 3, 3, 1];
const processTerm = (t: string): string | null => {
  const x = t.toLowerCase();
  return x && x !== 'the' && x !== 'of' ? x : null;
};
const EXACT: QueryOptions = { boosts: BOOSTS, prefix: (t) => t.length >= 5, fuzzy: () => 0, prefixWeight: 0.3, fuzzyWeight: 0.2 };
const TYPOS: QueryOptions = { ...EXACT, fuzzy: (t) => (t.length >= 5 ? Math.min(6, Math.round(t.length * 0.25)) : 0) };
const miniOptions = (typos: boolean) => ({
  boost: Object.fromEntries(FIELDS.map((f, i) => [f, BOOSTS[i]!])),
  prefix: (t: string) => t.length >= 5,
  fuzzy: (t: string) => (typos && t.length >= 5 ? 0.25 : false),
  weights: { fuzzy: 0.2, prefix: 0.3 },
  combineWith: 'OR' as const,
});

// Words chosen to collide: prefixes of each other, one letter apart, repeated, stop-words.
const VOCAB = [
  'attention',
  'attend',
  'attentive',
  'softmax',
  'softmaz',
  'soft',
  'gradient',
  'gradients',
  'grad',
  'learning',
  'learn',
  'learner',
  'rate',
  'rates',
  'token',
  'tokenizer',
  'tokens',
  'batch',
  'batches',
  'memory',
  'kernel',
  'kernels',
  'layer',
  'layers',
  'norm',
  'normal',
  'normalize',
  'the',
  'of',
  'Ünïcode',
];
const SEPARATORS = [' ', ', ', '. ', '\n', ' - ', '!'];
const text = fc.array(fc.tuple(fc.constantFrom(...VOCAB), fc.constantFrom(...SEPARATORS)), { maxLength: 25 }).map((ws) => ws.map(([w, s]) => w + s).join(''));
const docTexts = fc.array(text, { minLength: 4, maxLength: 4 });
const query = fc.array(fc.constantFrom(...VOCAB, 'atention', 'gradiant', 'normalise', 'zzz'), { minLength: 1, maxLength: 4 });

type Doc = { id: number; texts: string[] };

function mini(docs: readonly Doc[]): MiniSearch<Doc> {
  const m = new MiniSearch<Doc>({ fields: FIELDS, extractField: (d, f) => (f === 'id' ? d.id : d.texts[FIELDS.indexOf(f)]) as string, processTerm });
  m.addAll([...docs]);
  return m;
}

/** Document id → score, from our index. */
function ours(index: Bm25Index, idOf: (slot: number) => number, terms: string[], opts: QueryOptions): Map<number, number> {
  const raw = index.query(terms, opts);
  const out = new Map<number, number>();
  for (let i = 0; i < raw.count; i++) {
    const slot = raw.slots[i]!;
    out.set(idOf(slot), raw.scores[slot]! * raw.matched[slot]!);
  }
  return out;
}

function expectSameScores(actual: Map<number, number>, expected: Array<{ id: number; score: number }>): void {
  expect([...actual.keys()].sort((a, b) => a - b)).toEqual(expected.map((r) => r.id).sort((a, b) => a - b));
  for (const r of expected) expect(Math.abs(actual.get(r.id)! - r.score)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.score));
}

describe('Bm25Index scores as MiniSearch does', () => {
  it('on random documents and queries, exact+prefix and with typo tolerance', () => {
    fc.assert(
      fc.property(fc.array(docTexts, { minLength: 1, maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 5 }), (texts, queries) => {
        const docs = texts.map((t, id) => ({ id, texts: t }));
        const index = new Bm25Index(4, processTerm);
        const idOf = docs.map((d) => index.add(d.texts)).reduce((m, slot, i) => m.set(slot, i), new Map<number, number>());
        const m = mini(docs);
        for (const q of queries) {
          const terms = q.map(processTerm).filter((t): t is string => Boolean(t));
          for (const typos of [false, true]) {
            const expected = m.search(q.join(' '), miniOptions(typos)).map((r) => ({ id: r.id as number, score: r.score }));
            expectSameScores(
              ours(index, (s) => idOf.get(s)!, terms, typos ? TYPOS : EXACT),
              expected,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('after any sequence of additions and removals, as a fresh index of what is left', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ add: docTexts }), fc.record({ remove: fc.nat(40) })), { minLength: 1, maxLength: 40 }), query, (ops, q) => {
        const index = new Bm25Index(4, processTerm);
        const live = new Map<number, Doc & { slot: number }>();
        let next = 0;
        for (const op of ops) {
          if ('add' in op) {
            const id = next++;
            live.set(id, { id, texts: op.add, slot: index.add(op.add) });
          } else {
            const victim = [...live.values()][op.remove % Math.max(1, live.size)];
            if (!victim) continue;
            index.remove([victim.slot]);
            live.delete(victim.id);
          }
        }
        expect(index.size).toBe(live.size);
        // A word no document has any more is gone from the dictionary too.
        const present = new Set([...live.values()].flatMap((d) => d.texts.flatMap((t) => t.split(/[\n\r\p{Z}\p{P}]+/u).map(processTerm))));
        for (const w of VOCAB.map(processTerm)) if (w) expect(index.has(w)).toBe(present.has(w));
        const bySlot = new Map([...live.values()].map((d) => [d.slot, d.id]));
        const terms = q.map(processTerm).filter((t): t is string => Boolean(t));
        const expected = mini([...live.values()])
          .search(q.join(' '), miniOptions(true))
          .map((r) => ({ id: r.id as number, score: r.score }));
        expectSameScores(
          ours(index, (s) => bySlot.get(s)!, terms, TYPOS),
          expected,
        );
      }),
      { numRuns: 300 },
    );
  });

  const CORPUS = fileURLToPath(new URL('../../../shared/fixtures/notes/ml-engineering', import.meta.url));
  it.skipIf(!existsSync(CORPUS))('on the real notes corpus (../shared/fixtures), for viewer-style questions', () => {
    const folder = { dir: CORPUS, baseUrl: 'https://x/' };
    const docs: Doc[] = [];
    for (const rel of listNotes(folder)) {
      for (const d of noteDocuments(folder, rel))
        docs.push({ id: docs.length, texts: [d.noteTitle, [...d.parents, d.heading].join(' '), d.tags.join(' '), d.body] });
    }
    const index = new Bm25Index(4, processTerm);
    const idOf = new Map(docs.map((d) => [index.add(d.texts), d.id]));
    const m = mini(docs);
    for (const q of [
      'how do I debug an NCCL hang between nodes',
      'gradient checkpointing memory',
      'what is tensor parallelism',
      'atention kernels',
      'bf16 vs fp16 precision',
    ]) {
      const terms = q
        .split(' ')
        .map(processTerm)
        .filter((t): t is string => Boolean(t));
      const expected = m.search(q, miniOptions(true)).map((r) => ({ id: r.id as number, score: r.score }));
      expect(expected.length).toBeGreaterThan(10);
      expectSameScores(
        ours(index, (s) => idOf.get(s)!, terms, TYPOS),
        expected,
      );
    }
  });
});

/**
 * The pruned search (MaxScore) must find exactly what scoring every document finds: the same
 * documents, the same scores to the last bit, the same order, for any index (after additions and
 * removals, so with reused slots), query, k, kind filter, boost and minimum of terms matched.
 */
describe('Bm25Index.top (MaxScore) equals exhaustive scoring', () => {
  const wanted = fc.record({
    k: fc.integer({ min: 1, max: 12 }),
    minMatched: fc.constantFrom(0, 0, 1, 1.5, 2),
    kinds: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
    boosted: fc.boolean(),
  });
  const expectSame = (pruned: TopHits, exhaustive: TopHits, k: number) => {
    expect(pruned.all).toEqual(exhaustive.all);
    expect(pruned.matching).toEqual(exhaustive.matching);
    // `found` is exact below k; otherwise both are at least k.
    if (exhaustive.found < k) expect(pruned.found).toBe(exhaustive.found);
    else expect(pruned.found).toBeGreaterThanOrEqual(k);
  };

  it('on random documents, after additions and removals, for random queries and options', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ add: docTexts }), fc.record({ add: docTexts }), fc.record({ remove: fc.nat(60) })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(query, wanted), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1_000 }),
        (ops, queries, seed) => {
          const index = new Bm25Index(4, processTerm);
          const live: number[] = [];
          for (const op of ops) {
            if ('add' in op) live.push(index.add(op.add));
            else if (live.length) index.remove(live.splice(op.remove % live.length, 1));
          }
          // A kind per slot (three bits) and a boost per slot in [1, 1.5], from the seed.
          const bits = Array.from({ length: 200 }, (_, i) => 1 << ((i * 7 + seed) % 3));
          const boost = Float64Array.from({ length: 200 }, (_, i) => 1 + (((i * 13 + seed) % 11) / 10) * 0.5);
          for (const [q, w] of queries) {
            const terms = q.map(processTerm).filter((t): t is string => Boolean(t));
            const want: TopWanted = {
              k: w.k,
              minMatched: w.minMatched,
              ...(w.kinds ? { filter: { bits, mask: w.kinds } } : {}),
              ...(w.boosted ? { boost, boostMax: 1.5 } : {}),
            };
            for (const opts of [EXACT, TYPOS]) expectSame(index.top(terms, opts, want), index.topExhaustive(terms, opts, want), w.k);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on many documents with common and rare words, where most postings are skipped', () => {
    // Zipf-like words: common ones in most documents, so that k is reached early and pruning
    // starts; a fixed seed keeps it reproducible.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}ord`);
    const word = () => words[Math.min(words.length - 1, Math.floor(Math.exp(rand() * Math.log(words.length))) - 1)]!;
    const index = new Bm25Index(4, processTerm);
    const slots: number[] = [];
    const make = () => [
      `${word()} ${word()}`,
      `${word()} ${word()} ${word()}`,
      rand() < 0.2 ? word() : '',
      Array.from({ length: 5 + Math.floor(rand() * 60) }, word).join(' '),
    ];
    for (let i = 0; i < 3_000; i++) slots.push(index.add(make()));
    // Remove and add again, so that slots are reused and inserted into sorted lists.
    for (let i = 0; i < 300; i++) index.remove(slots.splice(Math.floor(rand() * slots.length), 1));
    for (let i = 0; i < 300; i++) slots.push(index.add(make()));
    const bits = Array.from({ length: 4_000 }, () => (rand() < 0.8 ? 1 : 2));
    const boost = Float64Array.from({ length: 4_000 }, () => (rand() < 0.1 ? 1.5 : 1));
    for (let q = 0; q < 300; q++) {
      const terms = Array.from({ length: 1 + Math.floor(rand() * 4) }, word);
      for (const k of [1, 3, 10, 60]) {
        for (const want of [
          { k, minMatched: 0 },
          { k, minMatched: terms.length / 2, filter: { bits, mask: 1 } },
          { k, minMatched: 1, boost, boostMax: 1.5 },
        ] as TopWanted[]) {
          expectSame(index.top(terms, EXACT, want), index.topExhaustive(terms, EXACT, want), k);
        }
      }
    }
  });
});

describe('Bm25Index query terms with weights and groups', () => {
  it('a weight scales a term; terms of one group count once in matched; a repeated word adds up', () => {
    const index = new Bm25Index(4, processTerm);
    const a = index.add(['', '', '', 'kernel memory']);
    index.add(['', '', '', 'kernel only']);
    const score = (terms: Parameters<Bm25Index['query']>[0]) => {
      const raw = index.query(terms, EXACT);
      return { score: raw.scores[a]!, matched: raw.matched[a]! };
    };
    const plain = score(['kernel', 'memory']);
    expect(plain.matched).toBe(2);
    const grouped = score(['kernel', { term: 'memory', group: 'kernel' }]);
    expect(grouped.matched).toBe(1);
    expect(grouped.score).toBeCloseTo(plain.score, 12);
    const half = score(['kernel', { term: 'memory', weight: 0.5 }]);
    expect(half.score).toBeCloseTo(score(['kernel']).score + 0.5 * score(['memory']).score, 12);
    expect(score(['kernel', 'kernel']).score).toBeCloseTo(2 * score(['kernel']).score, 12);
    expect(score([{ term: 'kernel', weight: 2 }]).score).toBeCloseTo(score(['kernel', 'kernel']).score, 12);
  });

  it('tells a listener when a term enters and leaves the dictionary', () => {
    const seen: string[] = [];
    const index = new Bm25Index(1, processTerm, (term, present) => seen.push(`${present ? '+' : '-'}${term}`));
    const a = index.add(['alpha beta']);
    const b = index.add(['beta']);
    index.remove([a]);
    index.remove([b]);
    expect(seen).toEqual(['+alpha', '+beta', '-alpha', '-beta']);
    expect(index.frequency('beta')).toBe(0);
  });
});

describe('TopK', () => {
  it('keeps the k best, best first, equal scores by slot whatever the order they come in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), fc.integer({ min: 0, max: 70 }), fc.boolean(), (scores, k, reversed) => {
        const top = new TopK(5).reset(k);
        const hits = scores.map((score, slot) => ({ slot, score }));
        for (const { slot, score } of reversed ? [...hits].reverse() : hits) top.push(slot, score, 1);
        const expected = [...hits].sort((a, b) => b.score - a.score || a.slot - b.slot).slice(0, k);
        expect(top.best().map(({ slot, score }) => ({ slot, score }))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
