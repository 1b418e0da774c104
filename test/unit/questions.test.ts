import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeQuestion, normalizeText, QuestionLog, similarity, SIMILARITY_THRESHOLD } from '../../src/questions/index.js';
import { Store } from '../../src/store/index.js';
import { OpenQuestions } from '../../src/questions/open-index.js';
import { cleanChatText, hasVisibleText, ManualClock, type ChatEvent } from '../../src/core/index.js';

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
  platform: 'twitch',
  channel: 'c',
  id: 'x',
  kind: 'message',
  text,
  time: 0,
  author: { id: 'u', login: 'u', displayName: 'u', roles: [] },
  ...extra,
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

describe('the open-question index', () => {
  // Brute force: today's rule, every open question compared, the newest of equal scores wins.
  const bruteForce = (open: Map<number, string>, text: string): number | undefined => {
    let best: number | undefined;
    let bestScore = SIMILARITY_THRESHOLD;
    for (const [id, q] of open) {
      const s = similarity(text, q);
      if (s > bestScore || (s === bestScore && (best === undefined || id > best))) {
        bestScore = s;
        best = id;
      }
    }
    return best;
  };

  it('finds exactly what comparing with every open question finds (property)', () => {
    const vocab = [
      'softmax',
      'attention',
      'gradient',
      'learning',
      'rate',
      'batch',
      'norm',
      'layer',
      'dropout',
      'heads',
      'why',
      'how',
      'is',
      'the',
      'needed',
      'work',
      'does',
      'what',
    ];
    const question = fc.array(fc.constantFrom(...vocab), { minLength: 0, maxLength: 7 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(question, { maxLength: 40 }), fc.array(fc.nat({ max: 39 }), { maxLength: 10 }), question, (asked, closed, probe) => {
        const index = new OpenQuestions(SIMILARITY_THRESHOLD);
        const open = new Map<number, string>();
        asked.forEach((t, i) => {
          index.add(i + 1, t);
          open.set(i + 1, t);
        });
        for (const c of closed) {
          index.remove(c + 1);
          open.delete(c + 1);
        }
        expect(index.findSimilar(probe)).toBe(bruteForce(open, probe));
      }),
      { numRuns: 1000 },
    );
  });

  it('merges the SAME pairs and keeps the DIFFERENT ones apart through the index', () => {
    for (const [a, b] of SAME) {
      const index = new OpenQuestions(SIMILARITY_THRESHOLD);
      index.add(1, a);
      expect(index.findSimilar(b), `${a} / ${b}`).toBe(1);
    }
    for (const [a, b] of DIFFERENT) {
      const index = new OpenQuestions(SIMILARITY_THRESHOLD);
      index.add(1, a);
      expect(index.findSimilar(b), `${a} / ${b}`).toBeUndefined();
    }
  });
});

describe('what counts as a question at all', () => {
  it('keeps the zero-width joiner inside emoji only: between letters it goes, with the other invisible characters', () => {
    expect(cleanChatText('what\u200b is\u202e a gradient\u200d descent step?').text).toBe('what is a gradient descent step?');
    expect(cleanChatText('co\u200dde 👩\u200d💻 and 👍🏽\u200d!').text).toBe('code 👩\u200d💻 and 👍🏽!');
    // Cut after a joiner: the joiner goes too, and cleaning again changes nothing.
    const cut = cleanChatText(`${'a'.repeat(1996)}👩\u200d💻`);
    expect(cut).toEqual({ text: `${'a'.repeat(1996)}👩`, truncated: true });
    expect(cleanChatText(cut.text).text).toBe(cut.text);
  });

  it('refuses text with no visible letter or digit (Hangul fillers, the braille blank, zero-width)', () => {
    for (const t of ['ㅤㅤㅤ', '⠀⠀', '\u115F\u1160', '?!?', '… ‽']) expect(hasVisibleText(t), JSON.stringify(t)).toBe(false);
    for (const t of ['why?', '注意力', '42', 'ㅤwhyㅤ']) expect(hasVisibleText(t), t).toBe(true);
  });
});

describe('normalizeText', () => {
  it('gives the same words for plain ASCII on its fast path as the Unicode path would (property)', () => {
    const slow = (t: string) =>
      t
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/['’]/g, '')
        .replace(/(\p{L})-(\p{L})/gu, '$1$2')
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 60 }), (t) => {
        expect(normalizeText(t)).toBe(slow(t));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compounds written apart or together', () => {
  const asked = (texts: string[]) => {
    const store = Store.open(':memory:');
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 18));
    const stream = store.streams.begin(clock.now(), clock.now());
    const log = new QuestionLog({ repo: store.questions, stream: () => stream, clock, maxLength: 300 });
    const kinds = texts.map((text, i) => {
      const event: ChatEvent = {
        platform: 'twitch',
        channel: 'c',
        id: `m${i}`,
        kind: 'message',
        text,
        time: 0,
        author: { id: `u${i}`, login: `u${i}`, displayName: `u${i}`, roles: [] },
      };
      return log.ask(event, text, 'command').kind;
    });
    store.close();
    return kinds;
  };

  it('merges "multi head" with "multi-head", "back propagation" with "backpropagation", either first', () => {
    expect(asked(['how does multi-head attention work?', 'how does multi head attention work?'])).toEqual(['created', 'merged']);
    expect(asked(['how does multi head attention work?', 'how does multihead attention work?'])).toEqual(['created', 'merged']);
    expect(asked(['what is backpropagation through time?', 'what is back propagation through time?'])).toEqual(['created', 'merged']);
    expect(asked(['why is quick sort fast on arrays?', 'why is quicksort fast on arrays?'])).toEqual(['created', 'merged']);
  });

  it('joins or splits only as an open question spells it: different questions stay apart', () => {
    expect(asked(['what is a data set?', 'what is a dataset?', 'how do i load data?'])).toEqual(['created', 'merged', 'created']);
    expect(asked(['how does batch norm work?', 'how does layer norm work?'])).toEqual(['created', 'created']);
    // Both words in a question, but not side by side: "notebook" is not "notes on a book".
    expect(asked(['how do i take notes on a book?', 'what is a notebook?'])).toEqual(['created', 'created']);
  });
});
