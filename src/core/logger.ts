import { pino, destination as pinoDestination, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** Paths redacted wherever they appear in a log object. */
export const REDACT_PATHS = [
  'token',
  'password',
  'secret',
  'authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Secret values to scrub from every line, whatever key or message they hide in. */
  readonly secrets?: readonly string[];
  /** Pretty output (a terminal) or JSON lines (a log collector). */
  readonly pretty?: boolean;
  /** Write to stderr instead of stdout (when stdout carries the program's own output). */
  readonly stderr?: boolean;
  /** Where lines go; stdout by default. */
  readonly destination?: DestinationStream;
}

/**
 * The one root logger. Besides path redaction, every written line is scrubbed of the configured
 * secret values, so a token that slips into an error message from a library still never lands.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (line: string): string => {
    let out = line;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return out;
  };
  const destination =
    opts.destination ??
    (opts.pretty
      ? pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination: opts.stderr ? 2 : 1 })
      : pinoDestination({ dest: opts.stderr ? 2 : 1, sync: true }));
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: undefined,
      hooks: { streamWrite: scrub },
    },
    destination,
  );
}

/** A logger that writes nothing, for tools and tests that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
