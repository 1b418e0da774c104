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
    ['🔴🔴🔴', ''],
    ['   ', ''],
  ])('%j → %j', (title, topic) => expect(topicFromTitle(title)).toBe(topic));

  it('is at most 100 characters', () => {
    expect([...topicFromTitle(`Attention ${'x'.repeat(300)}`)].length).toBeLessThanOrEqual(100);
  });
});
