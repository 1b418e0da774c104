import type { ScriptStep } from './scripted-stream.js';

const alice = { login: 'alice_learns', displayName: 'Alice_Learns' };
const bob = { login: 'bob', displayName: 'bob', badges: { subscriber: '6' } };
const mod = { login: 'modmarta', displayName: 'ModMarta', badges: { moderator: '1' } };
const troll = { login: 'chaos_gremlin', displayName: 'chaos_gremlin' };
const quiet = { login: 'lurker42', displayName: 'lurker42' };
const ytViewer = { login: 'maria_codes', displayName: 'MariaCodes' };
const ytMember = { login: 'deeplearner', displayName: 'DeepLearner', badges: { subscriber: '1' } };

/** The demo's scripted chat on both platforms: commands, ordinary talk, hostile input, network faults. */
export const DEMO_SCRIPT: readonly ScriptStep[] = [
  { afterMs: 800, user: alice, text: 'hi! first time here, what are we learning today?' },
  { afterMs: 1200, user: alice, text: '!help' },
  { afterMs: 900, user: ytViewer, text: 'hello from YouTube! !help', on: 'youtube' },
  { afterMs: 900, user: ytViewer, text: '!help', on: 'youtube' },
  { afterMs: 1000, user: mod, text: '!topic set Attention: queries, keys and values' },
  { afterMs: 1200, user: alice, text: '!q why is softmax needed in attention?' },
  { afterMs: 900, user: ytViewer, text: '!q Why do we need softmax in attention', on: 'youtube' },
  { afterMs: 900, user: bob, text: '!up 2' },
  { afterMs: 700, user: alice, text: '!up 2' },
  { afterMs: 900, user: quiet, text: '!q what learning rate do you use for this?' },
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
  { afterMs: 900, user: troll, text: '!q =HYPERLINK("http://evil.example","click") <b>bold</b>' },
  { afterMs: 1200, user: alice, text: '!questions' },
  { afterMs: 1000, user: mod, text: '!answered 2' },
  { afterMs: 1000, fault: 'reconnect' },
  { afterMs: 2500, user: quiet, text: '!commands' },
];
