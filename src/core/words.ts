/** Word handling shared by question matching and the search index. */

/** Function words and chat fillers that carry no topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then so to of in on at for from by with about into over under as is are was were be been being am do does did doing done ' +
    'have has had having can could should would will shall may might must i me my we us our you your he she it its they them their this that these ' +
    'those there here what whats which who whom whose why how when where hows whys wheres whens theres isnt arent dont doesnt didnt cant wont ' +
    'please pls just really actually also still even some any all more most very much many get got make made use using used one thing things ' +
    'like know think mean means need needed needs q question questions ask asking explain explained anyone someone between versus vs'
  ).split(' '),
);

const ASCII = /^[\x00-\x7F]*$/;

/** Lower-case, accents folded, words only; "self-attention" stays one word. */
export function normalizeText(text: string): string {
  // Most chat is plain ASCII: the same result without Unicode normalisation (hot path).
  if (ASCII.test(text)) {
    let s = text.toLowerCase();
    if (s.includes("'")) s = s.replace(/'/g, '');
    if (s.includes('-')) s = s.replace(/([a-z])-([a-z])/g, '$1$2');
    return s.replace(/[^a-z0-9]+/g, ' ').trim();
  }
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/(\p{L})-(\p{L})/gu, '$1$2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A light English stemmer: plural first, then -ing / -ed, so "encodings" and "encoding" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  return w;
}
