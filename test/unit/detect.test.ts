import { describe, expect, it } from 'vitest';
import { looksLikeQuestion, type DetectOptions } from '../../src/questions/index.js';
import type { ChatEvent } from '../../src/core/index.js';

const chat = (text: string, extra: Partial<ChatEvent> = {}): ChatEvent => ({
  platform: 'twitch',
  channel: 'teacher',
  id: 'x',
  kind: 'message',
  text,
  time: 0,
  author: { id: 'u', login: 'u', displayName: 'u', roles: [] },
  ...extra,
});
const opts: DetectOptions = { prefix: '!', minWords: 4, streamer: ['teacher'] };
const detects = (text: string, o: DetectOptions = opts) => looksLikeQuestion(chat(text), o);

/** Representative lines of each kind, and the decision for each (see docs/detection.md). */
const TABLE: Array<[kind: string, line: string, question: boolean]> = [
  // greetings and small talk, even with a question mark
  ['greeting', 'hi! first time here, what are we learning today?', false],
  ['greeting', 'hey everyone, how are we all doing today?', false],
  ['greeting', "hey @teacher how's it going?", false],
  ['greeting', 'hi @teacher, how was your weekend?', false],
  ['greeting', "what's up chat?", false],
  ['greeting', "hello! what's today's topic?", false],
  ['greeting then a question', 'hi from brazil! what is the best way to learn the math behind backprop?', true],
  ['greeting then a question', 'first time here, how do you pick the batch size for these runs?', true],
  // talk between viewers
  ['viewer to viewer', '@bob did you get it working with the new driver?', false],
  ['viewer to viewer', 'who else is watching from Europe?', false],
  ['viewer to viewer', 'anyone else getting CUDA OOM on the homework?', false],
  ['viewer to viewer', 'does anyone have the link to the notebook?', false],
  ['viewer to viewer', 'chat, is it just me or is this super clear today?', false],
  // exclamations and rhetorical questions
  ['exclamation', 'how cool is that', false],
  ['exclamation', 'how satisfying is that loss curve', false],
  ['exclamation', 'what a clean derivation', false],
  ['exclamation', "isn't that neat", false],
  ['rhetorical', 'why does cuda always do this to me', false],
  ['rhetorical', 'who needs sleep when you have gradient descent', false],
  ['rhetorical', 'what could possibly go wrong Kappa', false],
  ['rhetorical', 'do any of us really understand backprop though', false],
  // very short, emotes, laughter
  ['too short', 'why though?', false],
  ['too short', 'wait what?', false],
  ['emotes', 'KEKW KEKW KEKW', false],
  ['laughter', 'ahahaha 😂😂', false],
  // the stream itself, requests, the streamer's life
  ['about the stream', 'is the stream lagging for anyone else?', false],
  ['about the stream', 'will the vod be up later?', false],
  ['request', 'can you make the font bigger?', false],
  ['request', 'mic is kinda quiet, can you turn it up?', false],
  ['off topic', 'what game are you playing later?', false],
  ['off topic', 'where are you from?', false],
  ['the setup is on topic', 'what editor theme is that?', true],
  // taken back, spam
  ['self-resolved', 'why is it -inf? nvm got it', false],
  ['spam', 'why are you still coding when you could earn $5000 a week from home? dm me', false],
  // real questions, with and without a question mark
  ['question', 'how do you pick the number of heads?', true],
  ['question', 'what is the difference between view and reshape?', true],
  ['no question mark', 'why do we need the bias term in a linear layer', true],
  ['no question mark', 'whats the diff between pip and conda for cuda stuff', true],
  ['no question mark', 'wait so async functions always return a promise', true],
  ['no question mark', 'WAIT WHY IS THE GRADIENT ZERO THERE', true],
  ['indirect', 'i dont get why the derivative of relu at 0 even matters', true],
  ['indirect', 'can you explain why the kv cache grows linearly', true],
  ['indirect', 'explain the sqrt(d_k) thing one more time pls', true],
  ['prefixed', 'noob question: what is a gradient exactly', true],
  ['emote first', 'NotLikeThis why does rust need lifetimes at all', true],
  ['comparison', 'Adam vs AdamW, which one should I use for fine-tuning', true],
  ['non-English', 'wie funktioniert der KV-Cache genau?', true],
  ['non-English', 'なんでsoftmaxを使うんですか？', true],
  // addressed to the streamer
  ['@streamer', '@teacher does FSDP work with LoRA', true],
  ['@streamer', '@Teacher, what is the shape of the attention weights', true],
  ['streamer by name', 'teacher, why does the loss spike after warmup', true],
  ['@streamer and a viewer', '@teacher @bob did you get it working?', false],
  // very long lines
  [
    'very long question',
    'so I have been following along with the notebook and everything matches until the attention block, where my output has shape (B, T, T) instead of (B, T, D) even though I copied the einsum exactly, why would the value projection be skipped there?',
    true,
  ],
  [
    'very long statement',
    'this is honestly the best explanation of attention I have seen anywhere, I watched three university lectures and read the paper twice and it never clicked until you drew the matrices with the colours, thank you so much for doing these streams',
    false,
  ],
  ['copypasta', 'WHO IS THIS GUY PogU WHO IS THIS GUY PogU WHO IS THIS GUY PogU', false],
  // lines with links
  ['link', 'is this the paper you mean https://arxiv.org/abs/1706.03762 ?', true],
  ['link', 'see https://gist.github.com/x/1234 why does this fail on cuda', true],
  ['link', 'https://github.com/foo/bar/issues/12?', false],
  ['link', 'check out my channel https://example.com/live?ref=chat', false],
];

describe('question detection: one decision per kind of line', () => {
  it.each(TABLE)('%s: "%s" → %s', (_kind, line, question) => {
    expect(detects(line)).toBe(question);
  });
});

describe('question detection: options and events', () => {
  it('without the streamer names, any @mention is talk between viewers', () => {
    expect(detects('@teacher does FSDP work with LoRA', { prefix: '!', minWords: 4 })).toBe(false);
    expect(detects('@teacher does FSDP work with LoRA', { prefix: '!', minWords: 4, streamer: ['@Teacher'] })).toBe(true);
  });

  it('counts words after the greeting, against minWords', () => {
    expect(detects('hey, what is softmax?')).toBe(false);
    expect(detects('hey, what is softmax?', { ...opts, minWords: 3 })).toBe(true);
  });

  it('ignores commands, replies, actions, system messages and Shared Chat copies', () => {
    const q = 'why is softmax needed in attention?';
    expect(detects(`!q ${q}`)).toBe(false);
    expect(looksLikeQuestion(chat(q, { replyTo: 'm1' }), opts)).toBe(false);
    expect(looksLikeQuestion(chat(q, { action: true }), opts)).toBe(false);
    expect(looksLikeQuestion(chat(q, { kind: 'system' }), opts)).toBe(false);
    expect(looksLikeQuestion(chat(q, { sharedFrom: '655533779' }), opts)).toBe(false);
    expect(looksLikeQuestion(chat(q, { kind: 'paid-message', paid: { amount: 5, currency: 'EUR', display: '€5.00', tier: 2 } }), opts)).toBe(true);
  });

  it('decides a line of the longest allowed length quickly', () => {
    const lines = ['hi '.repeat(170), 'so '.repeat(170), 'why '.repeat(120) + '?', 'sorry if '.repeat(60), 'a'.repeat(500)];
    const start = performance.now();
    for (let i = 0; i < 20; i++) for (const l of lines) detects(l);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
