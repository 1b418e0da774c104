import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MiniSearch from 'minisearch';
import { listNotes, noteDocuments, SearchIndex, type KnowledgeDoc, type NotesFolder } from '../src/knowledge/index.js';
import { FIELD_BOOST, FIELDS, fieldTexts, processTerm } from '../src/knowledge/search-index.js';

/** A made-up word per rank; it ends in 'x' and has no other 'x', so no word is a prefix of another. */
const synthetic = (rank: number): string => {
  let s = '';
  for (let n = rank; n > 0; n = Math.floor(n / 20)) s = 'abcdefghijklmnopqrst'[n % 20] + s;
  return `${s}x`;
};

/** MiniSearch 7 with our fields and term processing: the reference. */
const miniSearchLikeOurs = () =>
  new MiniSearch<KnowledgeDoc>({
    fields: [...FIELDS],
    extractField: (d, f) => (f === 'id' ? d.id : fieldTexts(d)[FIELDS.indexOf(f as (typeof FIELDS)[number])]!),
    processTerm,
  });

/** Milliseconds each call takes. */
const timeEach = <T>(xs: readonly T[], f: (x: T) => unknown): number[] =>
  xs.map((x) => {
    const t0 = performance.now();
    f(x);
    return performance.now() - t0;
  });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const WORDS = (
  'attention softmax gradient optimizer learning rate warmup schedule tokenizer embedding layer norm dropout residual ' +
  'batch size memory throughput latency kernel cuda nccl allreduce pipeline tensor parallel checkpoint dataset loader shard cache ' +
  'quantization precision bf16 fp16 inference decoding beam sampling temperature cluster node network storage filesystem benchmark'
).split(' ');

/**
 * A generated corpus: `notes` files of `sections` sections each. Words follow a Zipf law over a
 * 20,000-word vocabulary, starting at rank 50 (the ranks above are the function words that the
 * index drops anyway); the technical words above are the most frequent content words.
 */
export function generate(dir: string, notes: number, sections: number): void {
  let seed = 1;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const VOCAB = 20_000;
  const w = () => {
    const rank = Math.floor(50 * Math.exp(rand() * Math.log(VOCAB / 50))) - 49;
    return rank <= WORDS.length ? WORDS[rank - 1]! : synthetic(rank);
  };
  for (let n = 0; n < notes; n++) {
    const sub = join(dir, `topic-${n % 20}`);
    mkdirSync(sub, { recursive: true });
    let text = `# Note ${n} about ${w()} and ${w()}\n\n`;
    for (let s = 0; s < sections; s++) {
      text += `## ${w()} ${w()} ${s}\n\n${Array.from({ length: 60 }, w).join(' ')}.\n\n`;
    }
    writeFileSync(join(sub, `note-${n}.md`), text);
  }
}

function build(folder: NotesFolder, options: { exhaustive?: boolean } = {}): { index: SearchIndex; ms: number; files: string[] } {
  const t0 = performance.now();
  const index = new SearchIndex(options);
  const files = listNotes(folder);
  for (const rel of files) index.replaceGroup(rel, noteDocuments(folder, rel));
  return { index, ms: performance.now() - t0, files };
}

/** With --expose-gc (as `npm run bench` runs), collected before each timed part, so that the
 * garbage of building an index is not timed as a query's. */
const gc = (globalThis as { gc?: () => void }).gc;

export function benchKnowledge(print: (s: string) => void): void {
  print('knowledge: index build, query latency, re-indexing one note');
  const corpus = resolve(process.cwd(), '../shared/fixtures/notes/ml-engineering');
  if (existsSync(corpus)) {
    const r = build({ dir: corpus, baseUrl: 'https://example.test/' });
    print(`  real corpus (${r.files.length} notes, ${r.index.size} sections): build ${r.ms.toFixed(0)} ms`);
    const questions = ['eval/search-dev.json', 'eval/search-check.json'].flatMap(
      (f) => JSON.parse(readFileSync(resolve(process.cwd(), f), 'utf8')) as Array<{ q: string }>,
    );
    // A running bot has answered many questions before: the first ten rounds warm the JIT up
    // (its compilations show up as 3-9 ms outliers in rounds 2 to 8 on this machine).
    const lat: number[] = [];
    gc?.();
    for (let round = 0; round < 30; round++) {
      for (const { q } of questions) {
        const t0 = performance.now();
        r.index.search(q, { limit: 3 });
        if (round >= 10) lat.push(performance.now() - t0);
      }
    }
    print(
      `  query latency on the real corpus (${questions.length} evaluation questions x 20): p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`,
    );
  } else print('  real corpus: skipped (../shared/fixtures absent)');

  const dir = mkdtempSync(join(tmpdir(), 'lectern-kbench-'));
  try {
    generate(dir, 1000, 20);
    const folder = { dir, baseUrl: 'https://example.test/' };
    const r = build(folder);
    print(`  generated corpus (${r.files.length} notes, ${r.index.size} sections): build ${r.ms.toFixed(0)} ms`);
    // Viewer queries: three topical words each, of every frequency, as chat asks them.
    let qs = 7;
    const qrand = () => (qs = (qs * 1103515245 + 12345) % 2147483648) / 2147483648;
    const qword = () => {
      const rank = Math.floor(50 * Math.exp(qrand() * Math.log(5_000 / 50))) - 49;
      return rank <= WORDS.length ? WORDS[rank - 1]! : synthetic(rank);
    };
    const queries = Array.from({ length: 2000 }, () => `how does ${qword()} ${qword()} ${qword()} work`);
    // The same index content with its first stage scored exhaustively (every matching section),
    // as before the pruned top-k search: before and after from the same run, corpus and queries.
    const full = build(folder, { exhaustive: true }).index;
    const ours = (q: string) => r.index.search(q, { limit: 3, topic: 'attention softmax' });
    const exhaustive = (q: string) => full.search(q, { limit: 3, topic: 'attention softmax' });
    for (let round = 0; round < 3; round++) {
      queries.slice(0, 500).forEach(ours);
      queries.slice(0, 500).forEach(exhaustive);
    }
    // Interleaved rounds, so that a busy moment of the machine weighs on both alike.
    const lat: number[] = [];
    const fullLat: number[] = [];
    const read = [r.index.postingsRead, full.postingsRead];
    gc?.();
    for (let i = 0; i < queries.length; i += 100) {
      lat.push(...timeEach(queries.slice(i, i + 100), ours));
      fullLat.push(...timeEach(queries.slice(i, i + 100), exhaustive));
    }
    const perQuery = (n: number) => ((n / queries.length) | 0).toLocaleString('en');
    print(
      `  query latency at ${r.index.size} sections, first stage exhaustive (before): p50 ${pct(fullLat, 50).toFixed(2)} ms, p99 ${pct(fullLat, 99).toFixed(2)} ms, ${perQuery(full.postingsRead - read[1]!)} postings read a query`,
    );
    print(
      `  query latency at ${r.index.size} sections, first stage pruned top-k (MaxScore): p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, ${perQuery(r.index.postingsRead - read[0]!)} postings read a query (target p99 <= 2 ms)`,
    );
    // On a shared machine a query is sometimes descheduled or meets a garbage collection, and
    // that, not the query, makes the tail above. Each query's median of five runs shows what the
    // queries themselves cost.
    const medianOf5 = (f: (q: string) => unknown) => queries.map((q) => pct(timeEach([q, q, q, q, q], f), 50));
    gc?.();
    const steadyFull = medianOf5(exhaustive);
    const steady = medianOf5(ours);
    print(
      `  each query's median of 5 runs, exhaustive vs pruned: p50 ${pct(steadyFull, 50).toFixed(3)} vs ${pct(steady, 50).toFixed(3)} ms, p99 ${pct(steadyFull, 99).toFixed(3)} vs ${pct(steady, 99).toFixed(3)} ms, max ${Math.max(...steadyFull).toFixed(3)} vs ${Math.max(...steady).toFixed(3)} ms`,
    );
    // Reference, same run, corpus, queries and warm-up: MiniSearch 7 with the same fields,
    // boosts, terms and prefix matching, whose scores our first stage reproduces exactly (without
    // the back-off, the query's alternatives, the topic boost, the note support and the
    // reranking that our figures include).
    const mini = miniSearchLikeOurs();
    for (const rel of r.files) mini.addAll(noteDocuments(folder, rel));
    const options = { boost: { ...FIELD_BOOST }, prefix: (t: string) => t.length >= 5, weights: { fuzzy: 0.2, prefix: 0.3 } };
    const theirs = (q: string) => mini.search(q, options);
    for (let round = 0; round < 3; round++) queries.slice(0, 500).forEach(theirs);
    gc?.();
    const miniLat = timeEach(queries, theirs);
    print(
      `  reference, MiniSearch with the same base scoring: p50 ${pct(miniLat, 50).toFixed(2)} ms, p99 ${pct(miniLat, 99).toFixed(2)} ms (ours, pruned: p99 ${(pct(miniLat, 99) / pct(lat, 99)).toFixed(1)}x lower)`,
    );
    // The worst a viewer can send: 500 characters of made-up long words, so nothing matches
    // exactly and every word goes through the typo search, as `!notes` runs it.
    let hs = 11;
    const hrand = () => (hs = (hs * 1103515245 + 12345) % 2147483648) / 2147483648;
    const madeUp = () => Array.from({ length: 9 + Math.floor(hrand() * 5) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(hrand() * 26)]).join('');
    const hostile = Array.from({ length: 200 }, () => Array.from({ length: 45 }, madeUp).join(' ').slice(0, 500));
    const asNotes = (q: string) => r.index.search(q, { limit: 1, minMatch: 0.5, kinds: ['section'] });
    hostile.slice(0, 50).forEach(asNotes);
    gc?.();
    const hostileLat = timeEach(hostile, asNotes);
    print(
      `  hostile query (500 characters of made-up words, typo search): p50 ${pct(hostileLat, 50).toFixed(2)} ms, max ${Math.max(...hostileLat).toFixed(2)} ms`,
    );
    const reindex: number[] = [];
    for (let i = 0; i < 50; i++) {
      const rel = r.files[(i * 37) % r.files.length]!;
      writeFileSync(join(dir, rel), `# Changed ${i}\n\n## new heading ${i}\n\nfresh words ${WORDS[i % WORDS.length]}\n`);
      const t0 = performance.now();
      r.index.replaceGroup(rel, noteDocuments(folder, rel));
      reindex.push(performance.now() - t0);
    }
    print(`  re-index one changed note: median ${pct(reindex, 50).toFixed(2)} ms, max ${Math.max(...reindex).toFixed(2)} ms (target <= 50 ms)`);
    // Heap an index takes, the documents aside (they are held outside both), when the bench
    // runs with --expose-gc as `npm run bench` does. Last, so that its extra indexes do not
    // weigh on the re-indexing figure.
    if (gc) {
      const docs = r.files.map((rel) => [rel, noteDocuments(folder, rel)] as const);
      const held: unknown[] = [];
      const heapOf = (make: () => unknown): number => {
        gc();
        const before = process.memoryUsage().heapUsed;
        held.push(make());
        gc();
        return (process.memoryUsage().heapUsed - before) / 1e6;
      };
      const oursMb = heapOf(() => docs.reduce((ix, [rel, ds]) => (ix.replaceGroup(rel, ds), ix), new SearchIndex()));
      const miniMb = heapOf(() => docs.reduce((m, [, ds]) => (m.addAll(ds), m), miniSearchLikeOurs()));
      print(`  index heap at ${r.index.size} sections: ours ${oursMb.toFixed(0)} MB, MiniSearch ${miniMb.toFixed(0)} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
