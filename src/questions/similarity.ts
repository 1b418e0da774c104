/**
 * Near-duplicate detection for questions: normalise, drop the words every question shares, stem
 * lightly, compare the word sets with the Dice coefficient. The threshold is set by the tests in
 * test/unit/questions.test.ts: paraphrases and reorderings merge, questions about different
 * things that share a frame ("what X do you use") do not.
 */
import { normalizeText, stem, STOP_WORDS } from '../core/index.js';

export const SIMILARITY_THRESHOLD = 0.75;

export { normalizeText };

/** The words that carry meaning, stemmed. */
export function keywords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of normalizeText(text).split(' ')) if (w && !STOP_WORDS.has(w)) out.add(stem(w));
  return out;
}

/**
 * Every word in the order written, stemmed, with null in the place of a stop-word: neighbours
 * matter for compounds, and "notes on a book" has no "note book" in it.
 */
export function keywordList(text: string): Array<string | null> {
  const out: Array<string | null> = [];
  for (const w of normalizeText(text).split(' ')) if (w) out.push(STOP_WORDS.has(w) ? null : stem(w));
  return out;
}

/** Dice similarity of two questions' keywords in [0, 1]; exact normalised text when both have none. */
export function similarity(a: string, b: string, ka: ReadonlySet<string> = keywords(a), kb: ReadonlySet<string> = keywords(b)): number {
  if (ka.size === 0 || kb.size === 0) return normalizeText(a) === normalizeText(b) ? 1 : 0;
  let shared = 0;
  for (const w of ka) if (kb.has(w)) shared++;
  return (2 * shared) / (ka.size + kb.size);
}
