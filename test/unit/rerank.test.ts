import { describe, expect, it } from 'vitest';
import {
  BODY_PHRASE,
  HEADING_COVERAGE,
  HEADING_PHRASE,
  HeadingVocabulary,
  headingFactor,
  LINK_RATIO,
  rerank,
  rerankQuery,
  type Candidate,
  type RerankDoc,
  type RerankQuery,
} from '../../src/knowledge/rerank.js';
import { plainWords, textTerms } from '../../src/knowledge/text.js';

const vocabulary = new HeadingVocabulary();
const doc = (url: string, heading: string, links: string[] = [], body = ''): RerankDoc => {
  const ids = vocabulary.heading(heading);
  return { heading: ids.terms, headingWords: ids.words, bodyPairs: vocabulary.pairs(body), links, url, group: url.replace(/#.*$/, '') };
};
// The query is made after the documents, as in a search (heading words get their ids first).
const query = (q: string, idf: Record<string, number> = {}): RerankQuery =>
  rerankQuery(
    textTerms(q).map((t) => ({ terms: [t], idf: idf[t] ?? 1 })),
    plainWords(q),
    vocabulary,
  );
const ranked = <T>(list: Array<Candidate<T>>) => list.map((c) => c.item);

describe('reranking: the heading factor', () => {
  it("counts the query's neighbouring content words that are neighbours in the body, stop-words left out on both sides", () => {
    const apart = doc('https://n/a.md#x', 'NVIDIA', [], 'Cores of the CPU differ, and a tensor is not a core.');
    const together = doc('https://n/a.md#y', 'NVIDIA', [], 'CUDA Cores run threads; the Tensor Cores multiply matrices.');
    const oneOfThem = doc('https://n/a.md#z', 'NVIDIA', [], 'a few spare CUDA cores');
    // Content pairs: cuda core, core tensor, tensor core ("vs" and "the" are stop-words).
    const q = query('cuda cores vs the tensor cores');
    expect(headingFactor(q, apart)).toBe(1);
    expect(headingFactor(q, together)).toBeCloseTo(1 + (BODY_PHRASE * 2) / 3);
    expect(headingFactor(q, oneOfThem)).toBeCloseTo(1 + BODY_PHRASE / 3);
  });

  it('is 1 for a heading with none of the words, and grows with the rare words it has', () => {
    const docs = ['Diagnostics', 'InfiniBand', 'InfiniBand adaptive routing'].map((h) => doc('https://n/a.md#x', h));
    const q = query('infiniband adaptive routing', { infiniband: 3, adapt: 2, rout: 1 });
    expect(headingFactor(q, docs[0]!)).toBe(1);
    expect(headingFactor(q, docs[1]!)).toBeCloseTo(1 + HEADING_COVERAGE * (3 / 6));
    // "infiniband adaptive" and "adaptive routing" are both phrases of the heading.
    expect(headingFactor(q, docs[2]!)).toBeCloseTo(1 + HEADING_COVERAGE + HEADING_PHRASE);
  });

  it('counts phrases with their stop-words ("how many GPUs"), never pairs of stop-words alone', () => {
    // The pairs that count are "many gpus" and "gpus do" (how-many, do-i, i-need are stop-words
    // only); the heading has both, and the one content word.
    const tell = doc('https://n/a.md#x', 'Tell how many GPUs do you need in 5 secs');
    const short = doc('https://n/a.md#x', 'GPUs: how many');
    const howTo = doc('https://n/a.md#x', 'How to do it');
    const q = query('how many gpus do i need');
    expect(headingFactor(q, tell)).toBeCloseTo(1 + HEADING_COVERAGE + HEADING_PHRASE);
    expect(headingFactor(q, short)).toBeCloseTo(1 + HEADING_COVERAGE);
    expect(HEADING_PHRASE).toBeGreaterThan(0);
    expect(headingFactor(query('how to do it'), howTo)).toBe(1);
  });

  it('meets longer forms from five letters ("checkpoint" and "checkpointing")', () => {
    const d = doc('https://n/a.md#x', 'Checkpointing');
    expect(headingFactor(query('checkpoint'), d)).toBeCloseTo(1 + HEADING_COVERAGE);
    const e = doc('https://n/a.md#x', 'Checkpoints');
    expect(headingFactor(query('checkpointing'), e)).toBeCloseTo(1 + HEADING_COVERAGE);
    // Below five letters, only the word itself.
    const f = doc('https://n/a.md#x', 'Gradients');
    expect(headingFactor(query('grad'), f)).toBe(1);
  });
});

describe('reranking: summaries below what they link to', () => {
  const chapter = doc('https://n/training/perf.md#async-dataloader', 'Asynchronous DataLoader');
  const summary = doc('https://n/course.md#dataloaders', 'Lessons: DataLoaders', ['https://n/training/perf.md#async-dataloader']);
  const q = query('zzz');

  it('puts a section just below a candidate of another note it links to, when that one scores at least LINK_RATIO of it', () => {
    const out = rerank(
      [
        { item: 'summary', doc: summary, score: 10 },
        { item: 'chapter', doc: chapter, score: 10 * LINK_RATIO + 0.01 },
      ],
      q,
    );
    expect(ranked(out)).toEqual(['chapter', 'summary']);
    expect(out[1]!.score).toBeLessThan(out[0]!.score);
  });

  it('leaves it where the linked section scores much less, or is not a candidate', () => {
    expect(
      ranked(
        rerank(
          [
            { item: 'summary', doc: summary, score: 10 },
            { item: 'chapter', doc: chapter, score: 10 * LINK_RATIO - 0.5 },
          ],
          q,
        ),
      ),
    ).toEqual(['summary', 'chapter']);
    expect(ranked(rerank([{ item: 'summary', doc: summary, score: 10 }], q))).toEqual(['summary']);
  });

  it("follows a link to a whole note to that note's best candidate", () => {
    const toNote = doc('https://n/index.md#training', 'Training', ['https://n/training/perf.md']);
    const other = doc('https://n/training/perf.md#batch', 'Batch size');
    const out = rerank(
      [
        { item: 'index', doc: toNote, score: 10 },
        { item: 'chapter-best', doc: chapter, score: 9 },
        { item: 'chapter-other', doc: other, score: 8 },
      ],
      q,
    );
    expect(ranked(out)).toEqual(['chapter-best', 'index', 'chapter-other']);
  });

  it('ignores links within the same note', () => {
    const a = doc('https://n/perf.md#a', 'A', ['https://n/perf.md#b']);
    const b = doc('https://n/perf.md#b', 'B');
    expect(
      ranked(
        rerank(
          [
            { item: 'a', doc: a, score: 10 },
            { item: 'b', doc: b, score: 9 },
          ],
          q,
        ),
      ),
    ).toEqual(['a', 'b']);
  });
});
