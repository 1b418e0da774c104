/**
 * Near-duplicate detection for questions: normalise, drop the words every question shares, stem
 * lightly, compare the word sets with the Dice coefficient. The threshold is set by the tests in
 * test/unit/questions.test.ts: paraphrases and reorderings merge, questions about different
 * things that share a frame ("what X do you use") do not.
 */
export const SIMILARITY_THRESHOLD = 0.75;

const STOP = new Set(
  ('a an the and or but if then so to of in on at for from by with about into over under as is are was were be been being am do does did doing done ' +
    'have has had having can could should would will shall may might must i me my we us our you your he she it its they them their this that these ' +
    'those there here what whats which who whom whose why how when where hows whys wheres whens there theres isnt arent dont doesnt didnt cant wont ' +
    'please pls just really actually also still even some any all more most very much many get got make made use using used one thing things ' +
    'like know think mean means need needed needs q question questions ask asking explain explained anyone someone between versus vs')
    .split(' '),
);

/** Lower-case, accents folded, words only; "self-attention" stays one word. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/(\p{L})-(\p{L})/gu, '$1$2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Plural first, then -ing / -ed, so "encodings" and "encoding" meet at "encod". */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  return w;
}

/** The words that carry meaning, stemmed. */
export function keywords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of normalizeText(text).split(' ')) if (w && !STOP.has(w)) out.add(stem(w));
  return out;
}

/** Dice similarity of two questions' keywords in [0, 1]; exact normalised text when both have none. */
export function similarity(a: string, b: string, ka = keywords(a), kb = keywords(b)): number {
  if (ka.size === 0 || kb.size === 0) return normalizeText(a) === normalizeText(b) ? 1 : 0;
  let shared = 0;
  for (const w of ka) if (kb.has(w)) shared++;
  return (2 * shared) / (ka.size + kb.size);
}
