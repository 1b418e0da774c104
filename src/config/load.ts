import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { configSchema, type FileConfig } from './schema.js';
import { knownKeysAt, closest } from './keys.js';

export type Config = Readonly<FileConfig> & { readonly secrets: Readonly<Secrets>; readonly source: string };

export interface ConfigProblem {
  /** Dotted key path, `(file)` for the document itself, or the environment variable's name. */
  readonly path: string;
  readonly message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

export const SECRET_ENV = {
  twitchToken: 'TWITCH_OAUTH_TOKEN',
  youtubeApiKey: 'YOUTUBE_API_KEY',
  youtubeClientId: 'YOUTUBE_CLIENT_ID',
  youtubeClientSecret: 'YOUTUBE_CLIENT_SECRET',
  youtubeRefreshToken: 'YOUTUBE_REFRESH_TOKEN',
  twitchBroadcasterToken: 'TWITCH_BROADCASTER_TOKEN',
  dashboardToken: 'LECTERN_DASHBOARD_TOKEN',
  twitchClientSecret: 'TWITCH_CLIENT_SECRET',
} as const;

/** Secrets come only from the environment (the variables above), never from the file, never with defaults. */
export type Secrets = { readonly [K in keyof typeof SECRET_ENV]?: string };

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  int: 'a whole number',
};

/** What a value in the file is, in words: `the string "443"`, `a list`. */
function got(input: unknown): string {
  if (input === undefined) return 'nothing: it is missing';
  if (input === null) return 'an empty value';
  if (typeof input === 'string') return `the string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return `${typeof input === 'number' ? 'the number' : ''} ${String(input)}`.trim();
  return Array.isArray(input) ? 'a list' : 'a mapping';
}

/**
 * Secrets never go in the config file: a key that looks like one says which environment variable
 * holds it instead (the file is often committed or shared).
 */
const SECRET_KEY = /token|password|secret|oauth|api_?key/i;
const SECRET_HINT: Record<string, string> = {
  twitch: 'TWITCH_OAUTH_TOKEN (or run `lectern auth twitch`)',
  youtube: 'YOUTUBE_API_KEY, or YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET with `lectern auth youtube`',
  dashboard: 'LECTERN_DASHBOARD_TOKEN',
};

function describe(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(configSchema, issue.path);
    return issue.keys.map((k) => {
      const near = closest(k, known);
      const section = String(issue.path[0] ?? '');
      if (SECRET_KEY.test(k) && !near)
        return {
          path: formatPath([...issue.path, k]),
          message: `unknown key: secrets are never read from the config file; set ${SECRET_HINT[section] ?? 'them in the environment (see the README)'}`,
        };
      return { path: formatPath([...issue.path, k]), message: `unknown key${near ? `; did you mean "${near}"?` : ''}` };
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    const input = 'input' in issue ? issue.input : undefined;
    message =
      input === undefined
        ? `expected ${EXPECTED[issue.expected] ?? issue.expected}, but it is missing`
        : `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${got(input)}`;
  } else if (issue.code === 'invalid_format' && issue.format === 'url') {
    const input = 'input' in issue ? issue.input : undefined;
    message = `expected an absolute URL such as https://example.com/notes/, got ${got(input)}`;
  } else if (issue.code === 'invalid_value') {
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound = issue.code === 'too_small' ? 'at least' : 'at most';
    const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
    message = `expected ${bound} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${what}`;
  }
  return [{ path: formatPath(issue.path), message }];
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Parses and validates a YAML (or JSON) document plus the environment's secrets. Pure: the caller
 * reads the file and passes the environment. Every problem is reported, not only the first.
 * `source`, when it is the file's absolute path, is where relative paths (`storage.path`,
 * `knowledge.notes[].dir`) start from.
 */
export function parseConfig(text: string, env: Readonly<Record<string, string | undefined>>, source = '(inline)'): ConfigResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { path: `(file) line ${at.line}, column ${at.col}`, message: `not valid YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.error.issues.flatMap(describe);

  const secrets: { -readonly [K in keyof Secrets]: Secrets[K] } = {};
  for (const [key, name] of Object.entries(SECRET_ENV) as Array<[keyof Secrets, string]>) {
    const value = env[name]?.trim();
    if (value) secrets[key] = value;
  }
  if (secrets.twitchToken) secrets.twitchToken = secrets.twitchToken.replace(/^oauth:/i, '');
  if (secrets.twitchBroadcasterToken) secrets.twitchBroadcasterToken = secrets.twitchBroadcasterToken.replace(/^oauth:/i, '');
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  // In a container the dashboard listens on all interfaces (the image sets this); outside, the
  // file's dashboard.host (127.0.0.1 by default) stands.
  const host = env['LECTERN_DASHBOARD_HOST']?.trim();
  let data = host ? { ...parsed.data, dashboard: { ...parsed.data.dashboard, host } } : parsed.data;
  // Relative paths in a config file are relative to the file's folder, wherever the command runs.
  if (isAbsolute(source)) {
    const at = (p: string) => (p === ':memory:' || isAbsolute(p) ? p : resolve(dirname(source), p));
    data = {
      ...data,
      storage: { ...data.storage, path: at(data.storage.path) },
      knowledge: { ...data.knowledge, notes: data.knowledge.notes.map((n) => ({ ...n, dir: at(n.dir) })) },
    };
  }
  return { ok: true, config: deepFreeze({ ...data, secrets, source }) };
}

/**
 * The secrets a config needs in the environment to connect, as problems naming each variable and
 * the fix. Only what connects (`start`, and `doctor`'s account checks) asks for them; commands
 * that read the database or the notes (`export`, `search`, `streams`, `healthcheck`) never do.
 */
export function credentialProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const secrets = config.secrets;
  const twitch = config.twitch;
  if (twitch?.markers && !secrets.twitchBroadcasterToken) {
    problems.push({
      path: SECRET_ENV.twitchBroadcasterToken,
      message: "twitch.markers is set, so the channel owner's user token (scope channel:manage:broadcast) is expected in this environment variable",
    });
  }
  if (twitch?.username && !secrets.twitchToken && !twitch.auth) {
    problems.push({
      path: SECRET_ENV.twitchToken,
      message:
        'twitch.username is set, so a user access token is expected in this environment variable, or twitch.auth to link the account with `lectern auth twitch` (or remove twitch.username to read anonymously)',
    });
  }
  const y = config.youtube;
  if (y) {
    // The refresh token may also come from `lectern auth youtube` (the token store).
    const client = Boolean(secrets.youtubeClientId) && Boolean(secrets.youtubeClientSecret);
    if ((secrets.youtubeClientId || secrets.youtubeClientSecret || secrets.youtubeRefreshToken) && !client) {
      problems.push({
        path: SECRET_ENV.youtubeClientId,
        message: 'OAuth needs YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET (and a refresh token: YOUTUBE_REFRESH_TOKEN, or `lectern auth youtube`)',
      });
    }
    if (!secrets.youtubeApiKey && !client) {
      problems.push({
        path: SECRET_ENV.youtubeApiKey,
        message:
          'youtube is configured, so YOUTUBE_API_KEY (read-only) or YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET with a linked account (read and reply) are expected in the environment',
      });
    }
    if (y.broadcast === 'mine' && !client) {
      problems.push({
        path: 'youtube.broadcast',
        message: '"mine" needs OAuth (YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET and a linked account); an API key cannot see your broadcasts',
      });
    }
  }
  return problems;
}

/** Every secret value of a config, for the logger's scrubber. */
export function secretValues(config: Config): string[] {
  return Object.values(config.secrets).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}

/** Files kept next to the database: linked accounts, the dashboard token, the feed cache, backups. */
export function dataPaths(config: Config): { tokens: string; dashboardToken: string; feedCache: string; backups: string } {
  const dir = dirname(resolve(config.storage.path));
  return { tokens: join(dir, 'tokens.json'), dashboardToken: join(dir, 'dashboard-token'), feedCache: join(dir, 'feeds'), backups: join(dir, 'backups') };
}
