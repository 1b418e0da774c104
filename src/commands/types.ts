import type { ChatEvent, Logger, Permission } from '../core/index.js';

/** What a command may do: answer, and use the services it is given. Never a platform client. */
export interface CommandContext {
  readonly event: ChatEvent;
  /** The name the viewer typed (may be an alias), lower-case, without prefix. */
  readonly invokedAs: string;
  readonly args: readonly string[];
  /** Everything after the command name, cleaned; viewer-controlled: never put it in a reply. */
  readonly argText: string;
  readonly prefix: string;
  readonly now: number;
  /** Characters one answer may use on this platform, after the `@name ` it is addressed with. */
  readonly maxLength: number;
  readonly log: Logger;
  /**
   * Answers the viewer on their platform, addressed to them and threaded under their message.
   * With `merge`, answers of the same key waiting together become one message of short forms.
   */
  reply(text: string, options?: ReplyOptions): void;
  /** Commands the caller is allowed to run, for help. */
  available(): readonly CommandDefinition[];
}

export interface ReplyOptions {
  readonly merge?: { readonly key: string; readonly short: string };
}

export interface CommandDefinition {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly usage?: string;
  readonly permission?: Permission;
  readonly globalCooldownMs?: number;
  readonly userCooldownMs?: number;
  run(ctx: CommandContext): void | Promise<void>;
}

export type Outcome =
  | { readonly status: 'ignored'; readonly code: 'not-a-command' | 'unknown-command' | 'not-chat' }
  | { readonly status: 'denied'; readonly code: 'permission' | 'global-cooldown' | 'user-cooldown' | 'flood'; readonly command: string }
  | { readonly status: 'ran'; readonly command: string }
  | { readonly status: 'failed'; readonly command: string; readonly error: Error };
