/**
 * The catalog of unexpected failures. Expected outcomes (cooldown, no permission, no match)
 * are returned values, not errors. Code branches on `code`, never on `message`.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'Invalid configuration',
  CONFIG_UNREADABLE: 'Configuration file cannot be read',
  STORE_OPEN_FAILED: 'Database cannot be opened',
  STORE_MIGRATION_FAILED: 'Database migration failed',
  STORE_BACKUP_FAILED: 'Database backup or restore failed',
  STORE_IN_USE: 'Another Lectern service runs on this database',
  PLATFORM_AUTH_FAILED: 'Platform rejected the credentials',
  PLATFORM_CONNECT_FAILED: 'Platform cannot be reached',
  PLATFORM_SEND_FAILED: 'Message could not be sent',
  PLATFORM_SEND_REFUSED: "The platform refuses the bot's messages for now",
  PLATFORM_CHANNEL_UNAVAILABLE: 'The channel does not exist or is suspended',
  PLATFORM_READ_ONLY: 'Platform is read-only',
  MODERATION_FAILED: 'The bot could not delete a message',
  HANDLER_FAILED: 'An event handler failed',
  USAGE: 'Invalid command-line usage',
  NOT_FOUND: 'No such item',
  INVALID_INPUT: 'Invalid input',
  INTERNAL: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class LecternError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message ?? ErrorCodes[code], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LecternError';
    this.code = code;
    this.details = options?.details ? Object.freeze({ ...options.details }) : undefined;
  }
}

export function isLecternError(err: unknown, code?: ErrorCode): err is LecternError {
  return err instanceof LecternError && (code === undefined || err.code === code);
}

/** Turns anything thrown (tmi.js rejects with strings) into an Error without losing it. */
export function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : JSON.stringify(err));
}
