import type { ScriptStep } from './scripted-stream.js';

const alice = { login: 'alice_learns', displayName: 'Alice_Learns' };
const bob = { login: 'bob', displayName: 'bob', badges: { subscriber: '6' } };
const mod = { login: 'modmarta', displayName: 'ModMarta', badges: { moderator: '1' } };
const troll = { login: 'chaos_gremlin', displayName: 'chaos_gremlin' };
const quiet = { login: 'lurker42', displayName: 'lurker42' };
const ytViewer = { login: 'maria_codes', displayName: 'MariaCodes' };
const ytMember = { login: 'deeplearner', displayName: 'DeepLearner', badges: { subscriber: '1' } };
const spammer = { login: 'cheap_followers', displayName: 'cheap_followers' };
const ytSpammer = { login: 'gift_cards_4u', displayName: 'GiftCards4U' };

/** The demo's scripted chat on both platforms: commands, ordinary talk, hostile input, network faults. */
export const DEMO_SCRIPT: readonly ScriptStep[] = [
  { afterMs: 800, user: alice, text: 'hi! first time here, what are we learning today?' },
  { afterMs: 1200, user: alice, text: '!help' },
  { afterMs: 900, user: ytViewer, text: 'hello from YouTube! !help', on: 'youtube' },
  { afterMs: 900, user: ytViewer, text: '!help', on: 'youtube' },
  { afterMs: 1000, user: mod, text: '!topic set Attention: queries, keys and values' },
  { afterMs: 1200, user: alice, text: '!q why is softmax needed in attention?' },
  { afterMs: 900, user: ytViewer, text: '!q Why do we need softmax in attention', on: 'youtube' },
  { afterMs: 900, user: bob, text: '!up 1' },
  { afterMs: 700, user: alice, text: '!up 1' },
  { afterMs: 900, user: quiet, text: '!q what learning rate do you use for this?' },
  // Everyday bot basics: a command added from chat, link protection on both platforms, !permit.
  { afterMs: 900, user: mod, text: '!addcom !lurk -ucd=30 Enjoy the lurk, {user}! Lurker number {count}.' },
  { afterMs: 900, user: alice, text: '!lurk' },
  { afterMs: 800, user: spammer, text: 'cheap followers at bestfollowers.example/buy' },
  { afterMs: 800, user: ytSpammer, on: 'youtube', text: 'free gift cards at www.giftcards.example' },
  { afterMs: 800, user: mod, text: '!permit alice_learns' },
  { afterMs: 800, user: alice, text: 'I wrote up what I learnt: https://alice.example/attention' },
  { afterMs: 800, user: ytMember, on: 'youtube', text: '!lurk' },
  { afterMs: 1000, user: ytMember, text: 'how do you pick the number of heads in practice?', on: 'youtube' },
  { afterMs: 1200, user: bob, text: '!topic' },
  { afterMs: 1000, user: quiet, text: '!notes' },
  { afterMs: 1000, user: ytViewer, text: '!notes why softmax', on: 'youtube' },
  { afterMs: 1000, user: alice, text: '!links rotary position' },
  { afterMs: 800, user: troll, text: '!notes <img src=x onerror=alert(1)>' },
  { afterMs: 1500, user: bob, text: '!Schedule' },
  { afterMs: 1500, user: bob, text: '!discord' },
  { afterMs: 1200, user: quiet, text: '!discord' },
  { afterMs: 800, user: bob, text: '!discord' },
  { afterMs: 1500, user: troll, text: `!help ${'A'.repeat(10_000)}` },
  { afterMs: 1200, user: troll, text: '\u202Egnitirw-thgir !so \u200B\u200B<script>alert(1)</script>' },
  { afterMs: 1200, user: troll, text: '!so' },
  { afterMs: 1200, user: mod, text: '!so' },
  { afterMs: 1500, user: quiet, text: 'this is great 🎉🔥 thanks for explaining' },
  { afterMs: 800, user: ytMember, text: '!schedule', on: 'youtube' },
  { afterMs: 300, user: ytViewer, text: '!discord', on: 'youtube' },
  { afterMs: 1000, fault: 'drop' },
  { afterMs: 3000, user: alice, text: '!schedule' },
  { afterMs: 1500, user: bob, text: '!help discord' },
  { afterMs: 1000, user: mod, text: '!topic set Multi-head attention' },
  { afterMs: 900, user: ytMember, text: '!up 3', on: 'youtube' },
  { afterMs: 900, user: troll, text: '!q =HYPERLINK("javascript:alert(1)","click") <b>bold</b>' },
  { afterMs: 1200, user: alice, text: '!questions' },
  { afterMs: 1000, user: mod, text: '!answered 2' },
  { afterMs: 1000, fault: 'reconnect' },
  { afterMs: 2500, user: quiet, text: '!commands' },
  // Paid questions rank above the same question unpaid.
  { afterMs: 1200, user: bob, bits: 500, text: 'how do you choose the warmup length for the learning rate?' },
  {
    afterMs: 1000,
    user: ytMember,
    on: 'youtube',
    text: 'why divide by sqrt(d_k) before the softmax?',
    superChat: { micros: 5_000_000, currency: 'EUR', display: '€5.00', tier: 2 },
  },
  // Moderation: a deleted question leaves the queue; a timed-out viewer's questions and votes go too.
  { afterMs: 1200, user: spammer, text: '!q want cheap followers? see my profile', ref: 'spam' },
  { afterMs: 1000, moderate: 'delete', ref: 'spam' },
  { afterMs: 1000, user: troll, text: '!up 1' },
  { afterMs: 1000, moderate: 'ban', user: troll, seconds: 600 },
  { afterMs: 1200, user: bob, text: '!questions' },
  // Twitch refuses the bot's messages (an unverified phone number), then the streamer fixes it.
  { afterMs: 1500, twitchRefusesBot: true },
  { afterMs: 500, user: quiet, text: '!topic' },
  { afterMs: 3000, twitchRefusesBot: false },
  { afterMs: 500, fault: 'reconnect' },
  { afterMs: 3000, user: quiet, text: '!topic' },
];

/**
 * "Last week's stream": a short first session before the main one, so the demo's backlog has
 * history (a question that comes back, one a new post will answer) and a viewer to follow up.
 */
export const LAST_WEEK_SCRIPT: readonly ScriptStep[] = [
  { afterMs: 500, user: mod, text: '!topic set Transformers: the KV cache' },
  { afterMs: 600, user: quiet, text: '!q how does the kv cache work?' },
  { afterMs: 600, user: ytViewer, text: '!q why do we need softmax in attention?', on: 'youtube' },
  { afterMs: 500, user: bob, text: '!up 1' },
  { afterMs: 600, user: ytMember, text: '!q what batch size do you use for fine tuning?', on: 'youtube' },
];
