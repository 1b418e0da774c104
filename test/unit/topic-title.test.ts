import { describe, expect, it } from 'vitest';
import { topicFromTitle } from '../../src/topics/index.js';

describe('a stream title as a topic', () => {
  it.each([
    ['🔴 LIVE: Attention from scratch | !notes !discord', 'Attention from scratch'],
    ['[EN] Building a tokenizer (day 3) - Mon/Wed/Fri 18:00 UTC', 'Building a tokenizer (day 3)'],
    ['Learning in public: attention', 'Learning in public: attention'],
    ['LIVE NOW - KV caches and paged attention | https://blog.example', 'KV caches and paged attention'],
    ['Rust async, part 2 !github', 'Rust async, part 2'],
    ['Probability | Bayes - the intuition', 'Probability | Bayes - the intuition'],
    ['Liveness analysis in compilers', 'Liveness analysis in compilers'],
    ['Livewire components from scratch', 'Livewire components from scratch'],
    ['Streaming algorithms explained', 'Streaming algorithms explained'],
    ['Kubernetes - Monitoring', 'Kubernetes - Monitoring'],
    ['Category theory - Monads', 'Category theory - Monads'],
    ['LIVE NOW Category theory | Mon & Wed 5pm', 'Category theory'],
    ['live: Paged attention', 'Paged attention'],
    ['Attention, queries, keys and values (part 2) | !q your questions', 'Attention, queries, keys and values (part 2)'],
    ['Tokenizers - !discord for the code | Mon 6pm', 'Tokenizers'],
    ['🔴🔴🔴', ''],
    ['   ', ''],
  ])('%j → %j', (title, topic) => expect(topicFromTitle(title)).toBe(topic));

  it('keeps the symbols that name a topic apart, and ends and case aside', async () => {
    const { topicKey } = await import('../../src/topics/index.js');
    expect(new Set(['C++', 'C#', 'C'].map(topicKey)).size).toBe(3);
    expect(topicKey('Attention!')).toBe(topicKey('attention'));
    expect(topicKey('  Multi-head   Attention ')).toBe('multi-head attention');
    expect(topicKey('🔥🔥')).toBe('');
  });

  it('is at most 100 characters', () => {
    expect([...topicFromTitle(`Attention ${'x'.repeat(300)}`)].length).toBeLessThanOrEqual(100);
  });
});
