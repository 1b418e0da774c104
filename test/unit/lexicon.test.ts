import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/core/index.js';
import { tokenize } from '../../src/knowledge/bm25.js';
import { findAbbreviations, Lexicon, longFormBefore } from '../../src/knowledge/lexicon.js';
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
