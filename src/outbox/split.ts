import { codePointLength } from '../core/index.js';

/**
 * Splits text into parts of at most `max` code points, at word boundaries where there are any;
 * a single word longer than `max` is cut. Parts are trimmed and never empty.
 */
export function splitMessage(text: string, max: number): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean === '') return [];
  if (codePointLength(clean) <= max) return [clean];
  const parts: string[] = [];
  let current: string[] = [];
  let currentLen = 0;
  const flush = () => {
    if (current.length) parts.push(current.join(''));
    current = [];
    currentLen = 0;
  };
  for (const word of clean.split(' ')) {
    const chars = [...word];
    const sep = currentLen > 0 ? 1 : 0;
    if (currentLen + sep + chars.length <= max) {
      if (sep) current.push(' ');
      current.push(word);
      currentLen += sep + chars.length;
      continue;
    }
    flush();
    for (let i = 0; i < chars.length; i += max) {
      const piece = chars.slice(i, i + max);
      if (piece.length === max) parts.push(piece.join(''));
      else {
        current.push(piece.join(''));
        currentLen = piece.length;
      }
    }
  }
  flush();
  return parts;
}

/**
 * Makes outgoing text safe for chat: one line, and never a chat command. A leading `/` or `.`
 * would make Twitch run it as a command (`/ban`, `.timeout`), so every leading `/`, `.`, `\` and
 * space is dropped, however they are mixed (`/ /ban x` is not a way around it).
 */
export function safeOutgoing(text: string): string {
  return text
    .replace(/[\u0000-\u001F\u007F]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s/.\\]+/, '')
    .trim();
}
