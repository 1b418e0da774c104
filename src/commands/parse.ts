/** A chat line that names a command: `!name arg1 arg2`. */
export interface ParsedCommand {
  readonly name: string;
  readonly args: string[];
  readonly argText: string;
}

const NAME = /^[a-z0-9_+-]{1,32}$/;
const MAX_ARGS = 32;
const MAX_ARG_TEXT = 500;

/** Parses a command line, or returns null when the text is not one (cheap for ordinary chat). */
export function parseCommand(text: string, prefix: string): ParsedCommand | null {
  if (!text.startsWith(prefix)) return null;
  const body = text.slice(prefix.length);
  const space = body.search(/\s/);
  const name = (space < 0 ? body : body.slice(0, space)).toLowerCase();
  if (!NAME.test(name)) return null;
  const argText =
    space < 0
      ? ''
      : body
          .slice(space + 1)
          .trim()
          .slice(0, MAX_ARG_TEXT);
  const args = argText === '' ? [] : argText.split(/\s+/).slice(0, MAX_ARGS);
  return { name, args, argText };
}
