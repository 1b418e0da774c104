import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanChatText, ManualClock, type ChatEvent } from '../src/core/index.js';
import { looksLikeQuestion, QuestionLog, SIMILARITY_THRESHOLD } from '../src/questions/index.js';
import { keywordList } from '../src/questions/similarity.js';
import { OpenQuestions } from '../src/questions/open-index.js';
import { Store } from '../src/store/index.js';

const word = (i: number) => `w${(i * 2_654_435_761) % 1_000_003}x`;
const question = (i: number) => `how does ${word(5 * i)} ${word(5 * i + 1)} relate to ${word(5 * i + 2)} and ${word(5 * i + 3)} in ${word(5 * i + 4)}?`;

const event = (i: number): ChatEvent => ({
  platform: 'twitch',
  channel: 'bench',
  id: `m${i}`,
  kind: 'message',
  text: '',
  time: 0,
  author: { id: `u${i % 1500}`, login: `u${i % 1500}`, displayName: `u${i % 1500}`, roles: [] },
});

/** The time of one `ask()` (match + SQLite write) with `open` questions already open, in µs. */
function askTimes(open: number, asks: number): { p50: number; p99: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-q-'));
  const store = Store.open(join(dir, 'q.db'));
  try {
    const clock = new ManualClock();
    const stream = store.streams.beginOrResume(clock.now(), 0).stream;
    store.transaction(() => {
      for (let i = 0; i < open; i++) {
        store.questions.create({
          streamId: stream.id,
          platform: 'twitch',
          authorId: `u${i % 1500}`,
          authorName: 'u',
          text: question(i),
          createdAt: clock.now(),
          offsetSeconds: 0,
          topicId: null,
          source: 'detected',
          messageId: `seed${i}`,
        });
      }
    });
    const log = new QuestionLog({ repo: store.questions, stream: () => stream, clock, maxLength: 300 });
    // Warm-up (the first ask builds the index of open questions), then the measured asks.
    for (let i = 0; i < 500; i++) log.ask(event(open + i), question(open + i), 'detected');
    const times: number[] = [];
    for (let i = 0; i < asks; i++) {
      const t0 = performance.now();
      log.ask(event(open + 500 + i), question(open + 500 + i), 'detected');
      times.push((performance.now() - t0) * 1000);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(asks / 2)]!, p99: times[Math.floor(asks * 0.99)]! };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchQuestions(print: (s: string) => void): { ratio: number } {
  const small = askTimes(1_000, 3_000);
  const large = askTimes(100_000, 3_000);
  const ratio = large.p50 / small.p50;
  print('question log: one ask() (find a near-duplicate, then write) with open questions already there');
  print(`  1,000 open      p50 ${small.p50.toFixed(0).padStart(5)} µs   p99 ${small.p99.toFixed(0).padStart(5)} µs`);
  print(`  100,000 open    p50 ${large.p50.toFixed(0).padStart(5)} µs   p99 ${large.p99.toFixed(0).padStart(5)} µs`);
  print(`  p50 ratio 100,000 / 1,000: ${ratio.toFixed(2)}   (target <= 2)`);
  return { ratio };
}

/** Mean µs per item of `run(i)` over `n` items, best of three passes (after one warm-up pass). */
function perItem(n: number, run: (i: number, pass: number) => void, batch?: (body: () => void) => void): number {
  let best = Infinity;
  for (let pass = 0; pass < 4; pass++) {
    const t0 = performance.now();
    for (let b = 0; b < n; b += 100) {
      const body = () => {
        for (let i = b; i < Math.min(n, b + 100); i++) run(i, pass);
      };
      if (batch) batch(body);
      else body();
    }
    if (pass > 0) best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

/**
 * Where one distinct question's time goes, part by part, outside the service (no tmi.js, no
 * event loop): set beside a bare tmi.js client's time per line, it shows what the ingest row
 * "every line a different question" can reach on one thread. A ratio of 0.5 leaves Lectern as
 * much time per line as tmi.js itself takes.
 */
export function benchQuestionParts(print: (s: string) => void, bareLinesPerSecond: number, texts: (i: number) => string): void {
  const n = 20_000;
  const lines = Array.from({ length: n * 4 }, (_, i) => texts(i));
  const events = lines.map((text, i): ChatEvent => ({ ...event(i), text }));
  const opts = { prefix: '!', minWords: 4, streamer: ['bench'] };
  const detect = perItem(n, (i, pass) => {
    if (!looksLikeQuestion(events[pass * n + i]!, opts)) throw new Error('bench line not detected');
  });
  const clean = perItem(n, (i, pass) => cleanChatText(lines[pass * n + i]!));
  // Matching against an index that grows to 80,000 open questions, as in the ingest row.
  const index = new OpenQuestions(SIMILARITY_THRESHOLD);
  const match = perItem(n, (i, pass) => {
    const text = lines[pass * n + i]!;
    // As QuestionLog.ask does it: the words, spelt as the open questions spell compounds.
    const words = index.harmonize(keywordList(text));
    if (index.findSimilar(text, words) !== undefined) throw new Error('bench questions merged');
    index.add(pass * n + i, text, words);
  });
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-parts-'));
  const store = Store.open(join(dir, 'q.db'));
  let write: number;
  try {
    const stream = store.streams.beginOrResume(Date.now(), 0).stream;
    write = perItem(
      n,
      (i, pass) =>
        store.questions.create({
          streamId: stream.id,
          platform: 'twitch',
          authorId: `u${i % 1500}`,
          authorName: `u${i % 1500}`,
          text: lines[pass * n + i]!,
          createdAt: Date.now(),
          offsetSeconds: 0,
          topicId: null,
          source: 'detected',
          messageId: `0b7c3a3e-5c1f-4d3a-9a61-${String(pass * n + i).padStart(12, '0')}`,
        }),
      (body) => store.transaction(body),
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const tmi = 1e6 / bareLinesPerSecond;
  const parts = detect + clean + match + write;
  const fmt = (x: number) => `${x.toFixed(1).padStart(5)} µs`;
  print('one distinct question, part by part (mean of 20,000, best of 3 passes; no tmi.js, no event loop)');
  print(`  detection (looksLikeQuestion)         ${fmt(detect)}`);
  print(`  cleaning the text                     ${fmt(clean)}`);
  print(`  keywords + near-duplicate match       ${fmt(match)}   (index growing to 80,000 open)`);
  print(`  SQLite write, question + first asker  ${fmt(write)}   (WAL, 100 per transaction)`);
  print(`  sum                                   ${fmt(parts)}`);
  print(`  bare tmi.js per line (ingest above)   ${fmt(tmi)}   = what Lectern may add per line for a ratio of 0.50`);
  print(`  best ratio these parts allow on one thread: ${(tmi / (tmi + parts)).toFixed(2)} (before routing, GC and the event loop)`);
}
