import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { Bm25Index, TopK, type QueryOptions } from '../../src/knowledge/bm25.js';
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
const VOCAB = ['attention', 'attend', 'attentive', 'softmax', 'softmaz', 'soft', 'gradient', 'gradients', 'grad', 'learning', 'learn', 'learner', 'rate', 'rates', 'token', 'tokenizer', 'tokens', 'batch', 'batches', 'memory', 'kernel', 'kernels', 'layer', 'layers', 'norm', 'normal', 'normalize', 'the', 'of', 'Ünïcode'];
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
            expectSameScores(ours(index, (s) => idOf.get(s)!, terms, typos ? TYPOS : EXACT), expected);
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
        const expected = mini([...live.values()]).search(q.join(' '), miniOptions(true)).map((r) => ({ id: r.id as number, score: r.score }));
        expectSameScores(ours(index, (s) => bySlot.get(s)!, terms, TYPOS), expected);
      }),
      { numRuns: 300 },
    );
  });

  const CORPUS = fileURLToPath(new URL('../../../shared/fixtures/notes/ml-engineering', import.meta.url));
  it.skipIf(!existsSync(CORPUS))('on the real notes corpus (../shared/fixtures), for viewer-style questions', () => {
    const folder = { dir: CORPUS, baseUrl: 'https://x/' };
    const docs: Doc[] = [];
    for (const rel of listNotes(folder)) {
      for (const d of noteDocuments(folder, rel)) docs.push({ id: docs.length, texts: [d.noteTitle, [...d.parents, d.heading].join(' '), d.tags.join(' '), d.body] });
    }
    const index = new Bm25Index(4, processTerm);
    const idOf = new Map(docs.map((d) => [index.add(d.texts), d.id]));
    const m = mini(docs);
    for (const q of ['how do I debug an NCCL hang between nodes', 'gradient checkpointing memory', 'what is tensor parallelism', 'atention kernels', 'bf16 vs fp16 precision']) {
      const terms = q.split(' ').map(processTerm).filter((t): t is string => Boolean(t));
      const expected = m.search(q, miniOptions(true)).map((r) => ({ id: r.id as number, score: r.score }));
      expect(expected.length).toBeGreaterThan(10);
      expectSameScores(ours(index, (s) => idOf.get(s)!, terms, TYPOS), expected);
    }
  });
});

describe('TopK', () => {
  it('keeps the k best, best first, equal scores in arrival order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), fc.integer({ min: 0, max: 70 }), (scores, k) => {
        const top = new TopK(k);
        scores.forEach((s, slot) => top.push(slot, s, 1));
        const expected = scores.map((score, slot) => ({ slot, score })).sort((a, b) => b.score - a.score || a.slot - b.slot).slice(0, k);
        expect(top.best().map(({ slot, score }) => ({ slot, score }))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
