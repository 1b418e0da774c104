import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/core/index.js';
import { tokenize } from '../../src/knowledge/bm25.js';
import { findAbbreviations, findNumeronyms, Lexicon, longFormBefore } from '../../src/knowledge/lexicon.js';
import { processTerm } from '../../src/knowledge/text.js';

const find = (text: string) => findAbbreviations(text, processTerm, tokenize, normalizeText).map((a) => `${a.short} = ${a.long.join(' ')}`);

describe('abbreviations the notes define', () => {
  it('finds the shortest long form whose words carry the letters in order (Schwartz and Hearst)', () => {
    expect(longFormBefore('MFU', 'we measure the Model FLOPS Utilization')).toBe('Model FLOPS Utilization');
    expect(longFormBefore('IB', 'the cluster uses InfiniBand')).toBe('InfiniBand');
    expect(longFormBefore('TTFT', 'a very low Time To First Token')).toBe('Time To First Token');
    // The first letter must start a word.
    expect(longFormBefore('MFU', 'maximizing throughput')).toBeUndefined();
  });

  it('reads "long form (SHORT)" and "SHORT (long form)", and leaves the rest', () => {
    expect(find('We track the Model FLOPS Utilization (MFU) of every run.')).toEqual(['mfu = model flop util']);
    expect(find('Use TP (Tensor Parallelism) inside a node.')).toEqual(['tp = tensor parallel']);
    expect(find('RDMA over Converged Ethernet (RoCE) is common.')).toEqual(['roce = rdma converg ethernet']);
    // Not abbreviations: a plain word, a note in parentheses, a unit, letters that do not fit.
    expect(find('This is slow (sometimes) and costs 8 (GB) of memory; maximizing throughput (MFU); Storage (IO)')).toEqual([]);
    // Not stemmed: "GBS" is not "gb".
    expect(find('the global batch size (GBS) grows')).toEqual(['gbs = global batch size']);
  });

  it('skips code: a parenthesis in a code block or inline code defines nothing', () => {
    expect(find('```python\nx = Model Flops Util (MFU)\n```\nand `Fully Sharded Data Parallel (FSDP)`')).toEqual([]);
  });

  it('keeps them by group: a re-indexed or removed note takes its own away', () => {
    const lexicon = new Lexicon();
    const a = findAbbreviations('the Model FLOPS Utilization (MFU) is', processTerm, tokenize, normalizeText);
    lexicon.set('notes/a.md', a);
    lexicon.set('notes/b.md', a);
    expect(lexicon.expand('mfu')).toEqual([['model', 'flop', 'util']]);
    expect(lexicon.contract(['measur', 'model', 'flop', 'util'])).toEqual([{ short: 'mfu', at: 1, length: 3 }]);
    lexicon.remove('notes/a.md');
    expect(lexicon.expand('mfu')).toHaveLength(1);
    lexicon.set('notes/b.md', []);
    expect(lexicon.expand('mfu')).toEqual([]);
    expect(lexicon.contract(['model', 'flop', 'util'])).toEqual([]);
    expect(lexicon.size).toBe(0);
  });

  it('prefers the long form the notes give most often', () => {
    const lexicon = new Lexicon();
    lexicon.set('a', [{ short: 'tp', long: ['tensor', 'parallel'] }]);
    lexicon.set('b', [
      { short: 'tp', long: ['token', 'per', 'second'] },
      { short: 'tp', long: ['token', 'per', 'second'] },
    ]);
    expect(lexicon.expand('tp')[0]).toEqual(['token', 'per', 'second']);
    lexicon.remove('b');
    expect(lexicon.expand('tp')).toEqual([['tensor', 'parallel']]);
  });
});

describe('numeronyms the notes use beside their word', () => {
  const numeronyms = (text: string) => findNumeronyms(text, processTerm).map((a) => `${a.short} = ${a.long.join(' ')}`);

  it('pairs "k8s" with "Kubernetes" and "i18n" with "internationalization" when the text has both', () => {
    expect(numeronyms('Kubernetes is hard. But K8s reinvents the wheel; k8s again.')).toEqual(['k8s = kubernet']);
    expect(numeronyms('i18n (internationalization) and a11y')).toEqual(['i18n = internation']);
  });

  it('guesses nothing: no word beside it, too short a word, or no numeronym at all', () => {
    expect(numeronyms('k8s reinvents the wheel')).toEqual([]);
    // "p4d" is an instance type, not "p" + 4 letters + "d" ("parsed").
    expect(numeronyms('a p4d node parsed the logs')).toEqual([]);
    expect(numeronyms('h100 and a100 and bf16, fp8e4m3')).toEqual([]);
  });

  it('lets a query "k8s" find the notes that write "kubernetes"', async () => {
    const { SearchIndex } = await import('../../src/knowledge/search-index.js');
    const index = new SearchIndex();
    const doc = (group: string, heading: string, body: string) => ({
      id: `${group}#${heading}`,
      kind: 'section' as const,
      source: 'notes' as const,
      group,
      title: heading,
      noteTitle: group,
      heading,
      parents: [],
      tags: [],
      body,
      url: `https://x/${group}.md#${heading}`,
    });
    const kubernetes = doc('k', 'Kubernetes', 'Kubernetes schedules containers.');
    index.replaceGroup('k', [kubernetes, doc('k', 'Gotchas', 'k8s resets a job on any error.')]);
    index.replaceGroup('s', [doc('s', 'Scheduling', 'Jobs and containers on a cluster with a scheduler.')]);
    expect(index.search('k8s schedules containers')[0]?.url).toBe('https://x/k.md#Kubernetes');
    // Re-indexed without the numeronym: "k8s" stands for nothing any more.
    index.replaceGroup('k', [kubernetes]);
    expect(index.search('k8s')).toEqual([]);
  });
});
