import { stemmer } from 'stemmer';
import { normalizeText, stem, STOP_WORDS } from '../core/index.js';
import { tokenize } from './bm25.js';

/** Index and query terms: normalised, stop-words dropped, Porter-stemmed ("reproducible" and
 * "reproducibility" meet). */
export function processTerm(term: string): string | null {
  const t = normalizeText(term);
  if (!t || STOP_WORDS.has(t)) return null;
  return stemmer(t);
}

/**
 * Symbols between words separate them as punctuation does: `NCCL_DEBUG=INFO` is three words
 * (nccl, debug, info), not "nccl" and a term "debug info".
 */
export function wordsOnly(text: string): string {
  return text.replace(/[^\p{L}\p{N}\p{M}\p{P}\s]+/gu, ' ');
}

/** The processed words of a text, in order, repeats kept. */
export function textTerms(text: string): string[] {
  return tokenize(wordsOnly(text))
    .map(processTerm)
    .filter((t): t is string => Boolean(t));
}

/**
 * A text's words, normalised and lightly stemmed (plurals), stop-words kept: "how many nodes"
 * is how, many, node. What phrases are compared on.
 */
export function plainWords(text: string): string[] {
  return tokenize(wordsOnly(text))
    .map((w) => stem(normalizeText(w)))
    .filter(Boolean);
}

/**
 * The words a reader sees in markdown: a link or image keeps its text, not its target (the path
 * `../training/performance/README.md` would otherwise make a page that links to a chapter match
 * the chapter's words); reference definitions and bare web addresses go too.
 */
export function readableText(markdown: string): string {
  return markdown
    .replace(/(!?\[[^\]\n]*\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)/g, '$1')
    .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, '[$1]')
    .replace(/^ {0,3}\[[^\]\n]+\]:\s+\S+.*$/gm, '')
    .replace(/<?\bhttps?:\/\/[^\s<>)\]]+>?/g, ' ');
}

/**
 * Where the inline links of a markdown text go, resolved against the address of the document
 * they are in: `../training/dtype.md#tf32` from `https://x/debug/pytorch.md` is
 * `https://x/training/dtype.md#tf32` (percent-decoded, so that it compares with the index's own
 * addresses). Links that do not resolve are left out.
 */
export function linkTargets(markdown: string, base: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"\n]*")?\s*\)/g)) {
    try {
      const u = new URL(m[1]!, base);
      out.push(safeDecode(u.origin + u.pathname) + (u.hash ? safeDecode(u.hash) : ''));
    } catch {
      // Not an address (or no absolute base): nothing to follow.
    }
  }
  return out;
}

/** An address as the index writes it, percent-decoded where that is valid. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether the letters of `short` appear in order in `long`. */
export function isSubsequence(short: string, long: string): boolean {
  let j = 0;
  for (let i = 0; i < long.length && j < short.length; i++) if (long[i] === short[j]) j++;
  return j === short.length;
}
