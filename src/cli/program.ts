import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { EXPORT_FORMATS, type ExportFormat, type StreamSelector } from '../export/index.js';
import { authTwitch, authYouTube } from './auth.js';
import { dashboardUrl, doctor, exportStream, healthcheck, search, streams } from './commands.js';
import { answerItem, backlog, topics } from './backlog.js';
import { backup, forget, restore } from './data.js';
import { demo } from './demo.js';
import { EXIT, processIo } from './io.js';
import { start } from './start.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function streamSelector(value: string): StreamSelector {
  if (value === 'latest') return 'latest';
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError('expected "latest" or a stream session number');
}

/** Every command that reads the config takes it the same way. */
const configOption = () => new Option('-c, --config <file>', 'config file (YAML or JSON)').default('lectern.yaml');

export function program(run: (code: Promise<number>) => void): Command {
  const io = processIo();
  const cli = new Command('lectern')
    .description('A companion bot for people who explain things live on Twitch and YouTube')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError();
  cli
    .command('start')
    .description('connect to chat and run the bot until Ctrl-C')
    .addOption(configOption())
    .action((o: { config: string }) => run(start(o.config, io)));
  cli
    .command('demo')
    .description('run everything offline against simulated chat')
    .option('-d, --duration <seconds>', 'stop after this many seconds', positiveNumber)
    .action((o: { duration?: number }) => run(demo(o.duration, io)));
  cli
    .command('doctor')
    .description('check the config, the database and the platforms, in plain words')
    .addOption(configOption())
    .action((o: { config: string }) => run(doctor(o.config, io)));
  cli
    .command('search')
    .description("search the streamer's notes, articles and links as the bot does")
    .addOption(configOption())
    .option('--json', 'print a JSON array of { title, url, source, score }, best first', false)
    .option('--stdin', 'read one query per line; print one JSON array per line', false)
    .option(
      '-n, --limit <n>',
      'how many results',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100');
        return n;
      },
      10,
    )
    .option('--topic <text>', 'rank as if this were the current topic')
    .argument('[query...]', 'what to look for')
    .action((words: string[], o: { config: string; json: boolean; stdin: boolean; limit: number; topic?: string }) =>
      run(search(o.config, { query: words.join(' '), json: o.json, stdin: o.stdin, limit: o.limit, topic: o.topic }, io)),
    );
  cli
    .command('export')
    .description('write the questions of a stream as a blog draft (md), CSV, JSON or YouTube chapters; works while the bot runs')
    .addOption(configOption())
    .option('-s, --stream <latest|ID>', 'which stream session (default: latest)', streamSelector)
    .addOption(new Option('-f, --format <format>', 'what to write').choices(EXPORT_FORMATS as string[]).makeOptionMandatory())
    .option('-o, --out <file>', 'write to this file instead of standard output (with --all: a folder, default ./exports)')
    .option('--all', 'every stream session, one file each', false)
    .option('--topic <title>', 'a Markdown draft over the backlog: the open questions of one topic across streams')
    .option('--backlog', 'a Markdown draft over the whole backlog', false)
    .action((o: { config: string; stream?: StreamSelector; format: ExportFormat; out?: string; all: boolean; topic?: string; backlog: boolean }) =>
      run(Promise.resolve(exportStream(o.config, { stream: o.stream, format: o.format, out: o.out, all: o.all, topic: o.topic, backlog: o.backlog }, io))),
    );
  cli
    .command('dashboard-url')
    .description("print a one-time login link for the dashboard (and the overlay's address); works while the service runs, also through docker compose exec")
    .addOption(configOption())
    .action((o: { config: string }) => run(Promise.resolve(dashboardUrl(o.config, io))));
  cli
    .command('streams')
    .description('list the stream sessions, newest first, with the ids `export --stream` takes; works while the bot runs')
    .addOption(configOption())
    .option('--json', 'print a JSON array', false)
    .action((o: { config: string; json: boolean }) => run(Promise.resolve(streams(o.config, { json: o.json }, io))));
  const count = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number from 1 to 10000');
    return n;
  };
  cli
    .command('backlog')
    .description('every unanswered question across streams, best first, by topic and by note section; works while the bot runs')
    .addOption(configOption())
    .option('--json', 'print a JSON array (text, score, askerCount, votes, streams, topics, note, answeredBy, ...)', false)
    .option('-n, --limit <n>', 'only the best n', count)
    .option('--topic <title>', 'only questions asked under this topic')
    .addOption(new Option('--state <state>', 'which items').choices(['open', 'answered', 'dismissed', 'all']).default('open'))
    .action((o: { config: string; json: boolean; limit?: number; topic?: string; state: 'open' | 'answered' | 'dismissed' | 'all' }) =>
      run(Promise.resolve(backlog(o.config, { json: o.json, limit: o.limit, topic: o.topic, state: o.state }, io))),
    );
  cli
    .command('topics')
    .description('engagement by topic: minutes, chat, chatters, questions, votes, paid, per stream and across streams')
    .addOption(configOption())
    .option('--json', 'print JSON ({ perStream, topics })', false)
    .action((o: { config: string; json: boolean }) => run(Promise.resolve(topics(o.config, { json: o.json }, io))));
  cli
    .command('answer')
    .description('mark a backlog item answered by a post (its askers are told once in a later stream) or on stream')
    .addOption(configOption())
    .argument('<item>', 'the backlog item number (lectern backlog shows them)', (v) => {
      if (!/^#?\d+$/.test(v)) throw new InvalidArgumentError('expected a backlog item number such as 12 or #12');
      return Number(v.replace('#', ''));
    })
    .option('--url <url>', 'the post that answers it')
    .option('--title <title>', "the post's title (default: the feed's title for that URL)")
    .option('--live', 'answered on stream, without a post', false)
    .action((item: number, o: { config: string; url?: string; title?: string; live: boolean }) => run(answerItem(o.config, item, o, io)));
  cli
    .command('backup')
    .description('a consistent copy of the database, also while the service runs (default: backups/ next to the database, dated)')
    .addOption(configOption())
    .option('-o, --out <file>', 'write the copy to this file (into a folder: the dated name; over a file only when it is an older backup)')
    .action((o: { config: string; out?: string }) => run(backup(o.config, o, io)));
  cli
    .command('restore')
    .description('put a backup in place of the database (the service must be stopped; the replaced one is kept beside it)')
    .addOption(configOption())
    .argument('<file>', 'a backup made by lectern backup')
    .action((file: string, o: { config: string }) => run(restore(o.config, file, io)));
  cli
    .command('forget')
    .description("erase a viewer's questions, votes and names in every stream (an erasure request); works while the service runs")
    .addOption(configOption())
    .addArgument(new Argument('<platform>', 'where they chat').choices(['twitch', 'youtube']))
    .argument('<viewer...>', 'Twitch login or user id; YouTube channel id (UC…), @handle or display name')
    .action((platform: 'twitch' | 'youtube', viewer: string[], o: { config: string }) => run(forget(o.config, platform, viewer.join(' '), io)));
  const auth = cli.command('auth').description('link the bot to a Twitch or YouTube account');
  auth
    .command('twitch')
    .description("Twitch's Device Code Flow with twitch.auth.clientId; stores the tokens in the data folder")
    .addOption(configOption())
    .action((o: { config: string }) => run(authTwitch(o.config, io)));
  auth
    .command('youtube')
    .description('OAuth for installed apps (loopback redirect, PKCE) with YOUTUBE_CLIENT_ID/SECRET; stores the refresh token')
    .addOption(configOption())
    .option('--read-only', 'ask only for youtube.readonly (the bot will not answer on YouTube)', false)
    .action((o: { config: string; readOnly: boolean }) => run(authYouTube(o.config, io, { readOnly: o.readOnly })));
  cli
    .command('healthcheck')
    .description('exit 0 if the running service has heartbeated in the last 3 minutes (for containers)')
    .addOption(configOption())
    .action((o: { config: string }) => run(Promise.resolve(healthcheck(o.config, io))));
  return cli;
}
