import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** `lectern demo` with stdout and stderr into one stream, as `npm run demo > file 2>&1` does. */
const runDemo = (cwd: string, seconds: number) =>
  new Promise<string>((resolve) => {
    const c = spawn(process.execPath, [CLI, 'demo', '--duration', String(seconds)], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let text = '';
    c.stdout.on('data', (d) => (text += d));
    c.stderr.on('data', (d) => (text += d));
    c.on('exit', () => resolve(text));
  });

describe('npm run demo', () => {
  it('a second run starts afresh, prints whole replies, and keeps log lines out of the transcript', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = await runDemo(dir, 30);
    // Last week's session, then today's: a new post answers an old question and its asker hears of it once.
    expect(first).toContain('Stream session #2 started.');
    // The title of today's video is the first topic, without its call to action.
    expect(first).toContain('(topic is now "Attention, queries, keys and values (part 2)")');
    // Votes go to questions that exist: one counted, one refused as the voter's own.
    expect(first).toContain('[twitch] lecternbot → @bob +1 on #1 (score 3)');
    expect(first).toContain("[twitch] lecternbot → @Alice_Learns #1 is your own question; vote for someone else's.");
    expect(first).not.toContain('There is no question');
    expect(first).toContain('(backlog: the new post "How the KV cache works" may answer #1 "how does the kv cache work?"');
    expect(
      first.match(/lecternbot → @lurker42 your question from \d{1,2} \w{3} is answered: How the KV cache works https:\/\/blog\.example\/kv-cache/g),
    ).toHaveLength(1);
    // The softmax question of last week came back today: one backlog item, both streams.
    expect(first).toMatch(/#2 why do we need softmax in attention\?  \(score [\d.]+: 2 askers, \d+ votes?, streams #1 #2/);
    // Replies carry whole links.
    // Links to the notes end whole, with their section: a reply is never cut inside a link.
    const links = first.split('\n').filter((l) => l.includes('lecternbot →') && l.includes('/you/notes/'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) for (const url of l.match(/https:\/\/github\.com\/you\/notes\/\S*/g)!) expect(url).toMatch(/\.md#[\w-]+$/);
    // Everyday bot basics: a command added in chat and used on both platforms, links deleted on
    // both (a notice each), one let through after !permit, a timer after enough chat.
    expect(first).toContain('[twitch] lecternbot → @ModMarta Added !lurk.');
    expect(first).toContain('[twitch] lecternbot → @Alice_Learns Enjoy the lurk, @Alice_Learns! Lurker number 1.');
    expect(first).toContain('[youtube] lecternbot → @DeepLearner Enjoy the lurk, @DeepLearner! Lurker number 2.');
    expect(first).toContain('(lectern on twitch: link to bestfollowers.example from @cheap_followers deleted)');
    expect(first).toContain('[twitch] lecternbot → @cheap_followers links are not allowed in chat; a moderator can allow one with !permit.');
    expect(first).toContain('(lectern on youtube: link to www.giftcards.example from @GiftCards4U deleted)');
    expect(first).toContain('(lectern on twitch: link to alice.example from @Alice_Learns let through: a moderator gave !permit)');
    expect(first).toMatch(
      /\[twitch\] lecternbot → Questions\? Ask with !q <your question> and vote with !up <number>\. Notes for today: https:\/\/github\.com\/you\/notes\/\S+/,
    );
    // A --duration shorter than the script says it cut the demo short.
    expect(first).toContain("(stopped after 30 s, part-way through today's stream: the whole demo takes about 75 s");
    const second = await runDemo(dir, 5);
    expect(second).toMatch(/\(stopped after 5 s, (?:during last week's|part-way through today's) stream/);
    for (const out of [first, second]) {
      expect(out).toContain('Stream session #1 started.');
      expect(out).not.toContain('you already asked');
      // No pino line (JSON or pretty) among the transcript.
      expect(out).not.toMatch(/^\{"level"|^\[\d\d:\d\d:\d\d\.\d+\]/m);
    }
  }, 75_000);
});
