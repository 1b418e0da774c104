/** Cleaning of text that comes from viewers, before anything else sees it. */

/** Longest text kept from one chat message; the rest is cut (platforms allow 500 / 200). */
export const MAX_CHAT_TEXT = 2000;

// C0/C1 controls except tab/newline, bidi overrides and isolates, zero-width and BOM characters.
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/gu;

/**
 * Removes control, zero-width and direction-changing characters, folds whitespace and bounds the
 * length without splitting a surrogate pair. Emoji and other scripts are kept as they are.
 */
const NEEDS_WORK = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]|\s\s|^\s|\s$|[^\S ]/u;
/**
 * The zero-width joiner is kept only where it joins emoji (👩‍💻: an emoji, maybe a skin tone or
 * variation selector, the joiner, an emoji); anywhere else it hides inside a word.
 */
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export function cleanChatText(raw: string, max = MAX_CHAT_TEXT): { text: string; truncated: boolean } {
  // Most chat lines are already clean: one test instead of three rewrites.
  let text = NEEDS_WORK.test(raw) ? raw.replace(UNSAFE, '').replace(STRAY_JOINER, '').replace(/\s+/g, ' ').trim() : raw;
  let truncated = false;
  if (text.length > max) {
    // A cut right after a joiner leaves it joining nothing.
    text = sliceCodePoints(text, max).replace(/\u200D+$/u, '');
    truncated = true;
  }
  return { text, truncated };
}

/** Characters that take a letter's or a symbol's place but show nothing: Hangul fillers, the braille blank, ... */
const BLANKS = /[\s\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3000\u3164\uFFA0]/gu;

/** Whether a text shows at least one letter or digit to a reader. */
export function hasVisibleText(text: string): boolean {
  // An ASCII letter or digit always shows (the usual case: no rewrite of the text).
  return /[A-Za-z0-9]/.test(text) || /[\p{L}\p{N}]/u.test(text.replace(BLANKS, ''));
}

/** Cuts a string to at most `max` UTF-16 units without leaving half a surrogate pair. */
export function sliceCodePoints(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return s.slice(0, end);
}

/** Length the platforms count: code points, not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
