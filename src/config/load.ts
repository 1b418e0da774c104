import { parseDocument } from 'yaml';
import { z } from 'zod';
import { configSchema, type FileConfig } from './schema.js';

/** Secrets come only from the environment, never from the file and never with defaults. */
export interface Secrets {
  readonly twitchToken?: string;
}

export type Config = Readonly<FileConfig> & { readonly secrets: Readonly<Secrets>; readonly source: string };

export interface ConfigProblem {
  /** Dotted key path, `(file)` for the document itself, or the environment variable's name. */
  readonly path: string;
  readonly message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

export const SECRET_ENV = { twitchToken: 'TWITCH_OAUTH_TOKEN' } as const;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

function describe(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: 'unknown key' }));
  }
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    message = `expected ${issue.expected}${'input' in issue && issue.input === undefined ? ', but it is missing' : ''}`;
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
 */
export function parseConfig(text: string, env: Readonly<Record<string, string | undefined>>, source = '(inline)'): ConfigResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: '(file)', message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.error.issues.flatMap(describe);

  const secrets: { twitchToken?: string } = {};
  const token = env[SECRET_ENV.twitchToken]?.trim();
  if (token) secrets.twitchToken = token.replace(/^oauth:/i, '');
  if (parsed.success && parsed.data.twitch?.username && !secrets.twitchToken) {
    problems.push({
      path: SECRET_ENV.twitchToken,
      message: 'twitch.username is set, so a user access token is expected in this environment variable (or remove twitch.username to read anonymously)',
    });
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: deepFreeze({ ...parsed.data, secrets, source }) };
}

/** Every secret value of a config, for the logger's scrubber. */
export function secretValues(config: Config): string[] {
  return Object.values(config.secrets).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}
