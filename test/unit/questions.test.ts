import { describe, expect, it } from 'vitest';
import { looksLikeQuestion, similarity, SIMILARITY_THRESHOLD } from '../../src/questions/index.js';
import type { ChatEvent } from '../../src/core/index.js';

/** Pairs a streamer would count as the same question: they must merge. */
const SAME: Array<[string, string]> = [
  ['why is softmax needed?', 'Why do we need softmax'],
  ['why is softmax needed in attention', 'why do we need softmax in attention?'],
  ["what's the difference between batch norm and layer norm", 'difference between layer norm and batch norm?'],
  ['How does dropout work?', 'how does dropout work'],
  ['Can you explain positional encodings?', 'could you explain positional encoding'],
  ['what is the learning rate warmup for', 'whats learning rate warmup for?'],
  ['why is the gradient vanishing in deep networks', 'why are gradients vanishing in deep network?'],
  ['¿Qué es la atención?', 'que es la atencion'],
];

/** Pairs that share a frame or a word but ask different things: they must stay apart. */
const DIFFERENT: Array<[string, string]> = [
  ['what learning rate do you use', 'what batch size do you use'],
  ['what is attention?', 'what is self-attention?'],
  ['how does dropout work?', 'how does batch norm work?'],
  ['why is softmax needed in attention', 'why is layer norm needed in attention'],
  ['what GPU do you use for training', 'what optimizer do you use for training'],
  ['is this on github?', 'is this on youtube?'],
  ['why?', 'how?'],
  ['what is the difference between adam and sgd', 'what is the difference between adam and adamw'],
];

describe('question similarity (the threshold is what these pairs justify)', () => {
  it.each(SAME)('merges "%s" with "%s"', (a, b) => {
    expect(similarity(a, b)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });

  it.each(DIFFERENT)('keeps "%s" apart from "%s"', (a, b) => {
    expect(similarity(a, b)).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it('is symmetric and 1 for identical text', () => {
    for (const [a, b] of [...SAME, ...DIFFERENT]) expect(similarity(a, b)).toBe(similarity(b, a));
    expect(similarity('Why softmax?', 'why   SOFTMAX')).toBe(1);
  });
});

const chat = (text: string, extra: Partial<ChatEvent> = {}): ChatEvent => ({
  platform: 'twitch', channel: 'c', id: 'x', kind: 'message', text, time: 0,
  author: { id: 'u', login: 'u', displayName: 'u', roles: [] }, ...extra,
});

describe('question detection in ordinary chat', () => {
  const opts = { prefix: '!', minWords: 4 };
  it.each([
    'how do you pick the number of heads?',
    'why does the loss go up after warmup',
    'is this the same as a transformer encoder',
    'the loss is going up, any idea why?',
  ])('detects "%s"', (t) => expect(looksLikeQuestion(chat(t), opts)).toBe(true));

  it('detects a question paid for with a Super Chat or a cheer (its text, cheermotes already gone)', () => {
    const paid = { amount: 5, currency: 'EUR', display: '€5.00', tier: 2 };
    expect(looksLikeQuestion(chat('why is softmax needed in attention?', { kind: 'paid-message', paid }), opts)).toBe(true);
  });

  it.each([
    ['too short', 'why though?', {}],
    ['a statement', 'this is a great explanation of attention', {}],
    ['a command', '!q why is the sky blue today?', {}],
    ['a reply to a viewer', 'what do you mean by that exactly?', { replyTo: 'm1' }],
    ['an @mention', '@bob why would you do that though?', {}],
    ['an action', 'wonders why this is so slow today?', { action: true }],
    ['a Shared Chat copy from a partner channel', 'why is softmax needed in attention?', { sharedFrom: '655533779' }],
    ['a system message', 'why is softmax needed in attention?', { kind: 'system' as const }],
  ])('ignores %s', (_what, t, extra) => expect(looksLikeQuestion(chat(t as string, extra as Partial<ChatEvent>), opts)).toBe(false));
});
