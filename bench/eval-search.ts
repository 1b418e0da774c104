import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listNotes, noteDocuments } from '../src/knowledge/notes-source.js';
import { SearchIndex } from '../src/knowledge/search-index.js';

/**
 * `npm run eval:search`: top-1 and top-3 accuracy of `lectern search` over the real notes corpus
 * in ../shared/fixtures (skipped when it is absent), on two sets of viewer questions:
 * `eval/search-dev.json`, the development set the ranking was tuned on, and
 * `eval/search-check.json`, written later as a check on questions the tuning had not seen (its
 * misses then led to two general changes, compounds and stem back-off), and
 * `eval/search-holdout.json`, written after all tuning and never tuned on;
 * `eval/search-chat-dev.json`, questions phrased as chat would (abbreviations, spelling variants),
 * written for issue 19 before its tuning and tuned on; `eval/search-chat-dev2.json`, a second
 * tuning set written like the chat holdout (sections drawn with another seed, 2002, by
 * scripts/draw-sections.mjs) before the tuning that used it; `eval/search-chat-holdout.json`, written
 * after all of that tuning by another method (one chat question for each of 100 sections drawn at
 * random with a seed) and never tuned on; `eval/search-chat-holdout2.json`, written after the
 * tuning on chat-dev2 was frozen by a third method (sections drawn with seed 3003 leaving out
 * chat-dev2's, each asked as a newcomer to the subject would ask it) and never tuned on.
 * A hit is a result whose note is one of the expected files. `--misses` lists the misses;
 * `--sets dev,check,chat-dev` runs only those sets (`eval/search-<name>.json`; tuning runs leave
 * the holdout sets out). Then the latency of a query on the real corpus, p50 and p99 over every
 * question of the sets run, after warm-up rounds (as a running bot has answered many questions).
 */
const CORPUS = resolve(process.cwd(), '../shared/fixtures/notes/ml-engineering');
const SETS = [
  'eval/search-dev.json',
  'eval/search-check.json',
  'eval/search-holdout.json',
  'eval/search-chat-dev.json',
  'eval/search-chat-dev2.json',
  'eval/search-chat-holdout.json',
  'eval/search-chat-holdout2.json',
];
const BASE = 'https://github.com/stas00/ml-engineering/blob/master/';

function main(): void {
  if (!existsSync(CORPUS)) {
    console.log(`eval:search skipped: ${CORPUS} is absent`);
    return;
  }
  const folder = { dir: CORPUS, baseUrl: BASE };
  const index = new SearchIndex();
  const files = listNotes(folder);
  for (const rel of files) index.replaceGroup(rel, noteDocuments(folder, rel));
  console.log(`search eval: ${files.length} notes, ${index.size} sections`);
  const only = process.argv.includes('--sets') ? process.argv[process.argv.indexOf('--sets') + 1]!.split(',') : undefined;
  const asked: string[] = [];
  for (const set of SETS.filter((s) => !only || only.some((o) => s === `eval/search-${o}.json`))) {
    const questions = JSON.parse(readFileSync(resolve(process.cwd(), set), 'utf8')) as Array<{ q: string; expect: string[] }>;
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const { q, expect } of questions) {
      asked.push(q);
      const results = index.search(q, { limit: 3 });
      const files3 = results.map((r) => decodeURIComponent(r.url.slice(BASE.length).split('#')[0]!));
      if (expect.includes(files3[0] ?? '')) top1++;
      else misses.push(`  ${q}\n    want ${expect[0]}; got ${files3.map((f, i) => `${f}#${results[i]!.url.split('#')[1] ?? ''}`).join(' | ')}`);
      if (files3.some((f) => expect.includes(f))) top3++;
    }
    const pct = (n: number) => `${((100 * n) / questions.length).toFixed(1)}%`;
    console.log(`  ${set} (${questions.length} questions): top-1 ${pct(top1)}   top-3 ${pct(top3)}`);
    if (process.argv.includes('--misses') && misses.length) console.log(misses.join('\n'));
  }
  const lat: number[] = [];
  for (let round = 0; round < 30; round++) {
    for (const q of asked) {
      const t0 = performance.now();
      index.search(q, { limit: 3 });
      if (round >= 10) lat.push(performance.now() - t0);
    }
  }
  lat.sort((a, b) => a - b);
  const at = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(3);
  console.log(`  query latency (${asked.length} questions x 20, after 10 warm-up rounds): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
}

main();
