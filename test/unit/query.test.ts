import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../src/knowledge/lexicon.js';
import { analyzeQuery, MAX_QUERY_WORDS, numberedParts, split, variants, type Vocabulary } from '../../src/knowledge/query.js';
import { plainWords, readableText, textTerms, wordsOnly } from '../../src/knowledge/text.js';

/** A vocabulary of (processed) terms with their document frequencies. */
function vocabulary(df: Record<string, number>): Vocabulary {
  return {
    has: (t) => (df[t] ?? 0) > 0,
    frequency: (t) => df[t] ?? 0,
    numbered: (first, digits) => Object.keys(df).filter((t) => numberedParts(t) && t[0] === first && numberedParts(t)![1] === digits),
  };
}
const asObjects = (terms: ReadonlyArray<string | { term: string; weight?: number; group?: string }>) =>
  terms.map((t) => (typeof t === 'string' ? { term: t, weight: 1, group: t } : { weight: 1, group: t.term, ...t }));

describe('query analysis: what a chat question looks for', () => {
  const vocab = vocabulary({
    multi: 40,
    node: 90,
    train: 80,
    data: 70,
    loader: 12,
    dataload: 30,
    zero: 20,
    '3': 50,
    bf16: 25,
    bfloat16: 3,
    float4: 2,
    fa4: 1,
    mfu: 9,
    model: 60,
    flop: 30,
    util: 10,
    parallel: 30,
    tensor: 30,
    tp: 5,
    timelimit: 4,
    time: 30,
    limit: 20,
  });
  const lexicon = new Lexicon();
  lexicon.set('notes', [
    { short: 'mfu', long: ['model', 'flop', 'util'] },
    { short: 'tp', long: ['tensor', 'parallel'] },
  ]);

  it("splits a word the notes never write into two they do, in the word's own group", () => {
    expect(split('multinode', vocab)).toEqual(['multi', 'node']);
    expect(split('zero3', vocab)).toEqual(['zero', '3']);
    expect(split('p99', vocab)).toBeUndefined();
    const a = asObjects(analyzeQuery('multinode training', vocab, lexicon).terms);
    expect(a).toContainEqual({ term: 'multi', weight: 1, group: 'multinod' });
    expect(a).toContainEqual({ term: 'node', weight: 1, group: 'multinod' });
    // A word the notes have is not split.
    expect(asObjects(analyzeQuery('dataloader', vocab, lexicon).terms).map((t) => t.term)).toEqual(['dataload']);
  });

  it('joins two words the notes write as one, as a group of its own', () => {
    expect(analyzeQuery('time limit', vocab, lexicon).terms).toEqual(['time', 'limit', 'timelimit']);
  });

  it('adds the long form of an abbreviation (1/√n each), and the abbreviation of a long form', () => {
    const a = asObjects(analyzeQuery('mfu of my run', vocab, lexicon).terms);
    expect(a.filter((t) => t.group === 'mfu').map((t) => [t.term, Math.round(t.weight * 1000) / 1000])).toEqual([
      ['mfu', 1],
      ['model', 0.577],
      ['flop', 0.577],
      ['util', 0.577],
    ]);
    // Words of the long form the viewer wrote are not added twice.
    expect(asObjects(analyzeQuery('mfu model', vocab, lexicon).terms).filter((t) => t.term === 'model')).toHaveLength(1);
    expect(analyzeQuery('tensor parallelism', vocab, lexicon).terms).toContainEqual({ term: 'tp', group: 'abbreviation:tp' });
  });

  it('finds other spellings of a numbered name, not look-alikes', () => {
    expect(variants('bfloat16', vocab)).toEqual(['bf16']);
    expect(variants('bf16', vocab)).toEqual(['bfloat16']);
    // "fa4" and "float4": the letters do not start alike.
    expect(variants('fa4', vocab)).toEqual([]);
  });

  it('counts the first MAX_QUERY_WORDS distinct words, repeats kept, and groups what stands for each', () => {
    const many = Array.from({ length: 20 }, (_, i) => `word${String.fromCharCode(97 + i)}`).join(' ');
    expect(new Set(analyzeQuery(many, vocab, lexicon).words).size).toBe(MAX_QUERY_WORDS);
    const a = analyzeQuery('mfu mfu node', vocab, lexicon);
    expect(a.words).toEqual(['mfu', 'mfu', 'node']);
    expect(a.groups).toEqual([['mfu', 'model', 'flop', 'util'], ['node']]);
  });
});

describe('text as the index reads it', () => {
  it('symbols separate words', () => {
    expect(textTerms('NCCL_DEBUG=INFO')).toEqual(['nccl', 'debug', 'info']);
    expect(wordsOnly('a=b+c|d')).toBe('a b c d');
  });

  it("keeps a link's text, not its target; drops bare addresses and reference definitions", () => {
    expect(readableText('see [the chapter](../training/dtype.md#tf32) and ![a plot](images/x.png) or https://example.com/a/b')).toBe(
      'see [the chapter] and ![a plot] or  ',
    );
    expect(readableText('[ref]: https://example.com/x\ntext')).toBe('\ntext');
  });

  it('plain words keep stop-words and drop plurals', () => {
    expect(plainWords('How many nodes do I need?')).toEqual(['how', 'many', 'node', 'do', 'i', 'need']);
  });
});
