import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChatEvent } from '../src/core/index.js';
import { looksLikeQuestion, type DetectOptions } from '../src/questions/index.js';

/**
 * `npm run eval:detect`: precision, recall and F1 of question detection in ordinary chat
 * (`looksLikeQuestion`, with the default options: prefix `!`, 4 words) on two labelled sets:
 * `eval/detect-dev.json`, the development set the rules were tuned on (written before tuning), and
 * `eval/detect-holdout.json`, written after the rules were frozen and never tuned on. A line
 * labelled `question` is a question for the streamer; everything else is `other`. In both sets the
 * streamer's handle is `@teacher`. Every false positive and false negative is listed (80 chars).
 *
 * Then, for information only, the share of lines detected as questions in the real chat logs in
 * ../shared/fixtures/chatlogs (gaming and entertainment streams, unlabelled; skipped when absent).
 * `--lines` also prints the lines detected there.
 */
const SETS = ['eval/detect-dev.json', 'eval/detect-holdout.json'];
const LOGS = resolve(process.cwd(), '../shared/fixtures/chatlogs');
const STREAMER = 'teacher';

interface Labelled {
  readonly text: string;
  readonly label: 'question' | 'other';
  readonly kind?: string;
}

const cut = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

function event(text: string, channel: string): ChatEvent {
  return {
    platform: 'twitch',
    channel,
    id: 'm',
    kind: 'message',
    text,
    time: 0,
    author: { id: 'u', login: 'viewer', displayName: 'viewer', roles: [] },
  };
}

function options(streamer: string[]): DetectOptions {
  return { prefix: '!', minWords: 4, streamer };
}

function evalSet(path: string): void {
  const file = resolve(process.cwd(), path);
  if (!existsSync(file)) {
    console.log(`${path}: absent, skipped`);
    return;
  }
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Labelled[];
  const opts = options([STREAMER]);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const fps: string[] = [];
  const fns: string[] = [];
  for (const row of rows) {
    const said = looksLikeQuestion(event(row.text, STREAMER), opts);
    const truth = row.label === 'question';
    if (said && truth) tp++;
    else if (said) (fp++, fps.push(`    [${row.kind ?? ''}] ${cut(row.text)}`));
    else if (truth) (fn++, fns.push(`    [${row.kind ?? ''}] ${cut(row.text)}`));
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const positives = rows.filter((r) => r.label === 'question').length;
  console.log(
    `${path}: ${rows.length} lines (${positives} questions)   precision ${precision.toFixed(3)}   recall ${recall.toFixed(3)}   F1 ${f1.toFixed(3)}   (tp ${tp}, fp ${fp}, fn ${fn})`,
  );
  console.log(`  false positives (${fp}):${fps.length ? `\n${fps.join('\n')}` : ' none'}`);
  console.log(`  false negatives (${fn}):${fns.length ? `\n${fns.join('\n')}` : ' none'}`);
}

/** The text of each chat line of the real logs, with the channel it was written in. */
function realLogs(): Array<{ name: string; channel: string; texts: string[] }> {
  const out: Array<{ name: string; channel: string; texts: string[] }> = [];
  const tsv = resolve(LOGS, 'twitch-xqcow-2019-go-twitch-irc/channel.tsv');
  if (existsSync(tsv)) {
    const texts = readFileSync(tsv, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((c) => c[1] === 'PRIVMSG')
      .map((c) => c[5] ?? '');
    out.push({ name: 'twitch #xqcow 2019', channel: 'xqcow', texts });
  }
  const nymn = resolve(LOGS, 'twitch-nymn-2024-chatterino/recentmessages-nymn.json');
  if (existsSync(nymn)) {
    const { messages } = JSON.parse(readFileSync(nymn, 'utf8')) as { messages: string[] };
    const texts = messages.map((m) => /^(?:@\S+ )?:\S+ PRIVMSG #\S+ :?(.*)$/.exec(m)?.[1]).filter((t): t is string => t !== undefined);
    out.push({ name: 'twitch #nymn 2024', channel: 'nymn', texts });
  }
  const premiere = resolve(LOGS, 'youtube-chat-downloader-2020/premiere-zVCs9Cug_qM.json');
  if (existsSync(premiere)) {
    const texts = (JSON.parse(readFileSync(premiere, 'utf8')) as Array<{ message?: string }>).map((m) => m.message ?? '');
    out.push({ name: 'youtube premiere 2020', channel: '', texts });
  }
  return out;
}

function main(): void {
  console.log('question detection eval (prefix !, 4 words, streamer @teacher)');
  for (const set of SETS) evalSet(set);
  if (!existsSync(LOGS)) {
    console.log(`real chat logs: ${LOGS} is absent, skipped`);
    return;
  }
  console.log('real chat logs (gaming/entertainment streams, unlabelled; informational):');
  for (const log of realLogs()) {
    const opts = options(log.channel ? [log.channel] : []);
    const detected = log.texts.filter((t) => looksLikeQuestion(event(t, log.channel), opts));
    console.log(
      `  ${log.name}: ${log.texts.length} lines, ${detected.length} detected as questions (${((100 * detected.length) / log.texts.length).toFixed(2)}%)`,
    );
    if (process.argv.includes('--lines')) for (const t of detected) console.log(`    ${cut(t)}`);
  }
}

main();
