import { cpus } from 'node:os';
import { benchIngest, distinctQuestion } from './ingest.js';
import { benchQuestionParts, benchQuestions } from './questions.js';
import { benchYouTubeQuota } from './youtube-quota.js';
import { benchKnowledge } from './knowledge.js';
import { benchDashboard, benchFlood } from './dashboard.js';

/** `npm run bench`: prints the numbers; targets are reported, never asserted in tests. */
async function main(): Promise<void> {
  const print = (s: string) => process.stdout.write(`${s}\n`);
  print(`Lectern benchmarks: node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
  print('');
  const ingest = await benchIngest(print);
  print('');
  benchQuestions(print);
  print('');
  benchQuestionParts(print, ingest.questionBare, distinctQuestion);
  print('');
  await benchYouTubeQuota(print);
  print('');
  await benchDashboard(print);
  print('');
  await benchFlood(print);
  print('');
  // Last: its generated corpus and MiniSearch reference index would raise the dashboard's RSS curve.
  benchKnowledge(print);
  print('');
  print(`peak RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  process.exit(0);
}

void main();
