import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, type ChatEvent } from '../src/core/index.js';
import { QuestionLog } from '../src/questions/index.js';
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
