import { normalizeText } from '../core/index.js';
import { keywordList, keywords, similarity } from './similarity.js';

interface Entry {
  readonly text: string;
  readonly words: ReadonlySet<string>;
}

/**
 * The open questions of a stream, indexed so that finding a near-duplicate does not cost more as
 * questions pile up: keyword → the open questions that have it.
 *
 * Dice(A, B) ≥ t needs an overlap of at least t·|A| / (2 − t) words (whatever B is), so any
 * |A| − that + 1 words of A must include a shared one. Only those are looked up, and the rarest
 * are chosen (the shortest lists): a word every question shares never makes the lookup long.
 * The candidates are then compared exactly as before, so the merge decisions are the same as
 * comparing with every open question.
 */
export class OpenQuestions {
  private readonly entries = new Map<number, Entry>();
  /** Most words belong to one question: its id alone, a list only once a second one has it. */
  private readonly postings = new Map<string, Posting>();
  /** Questions with no meaningful word match only the same normalised text. */
  private readonly bare = new Map<string, Posting>();

  constructor(private readonly threshold: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  /** Adds an open question (`words`: its keywords, when the caller has them already). */
  add(id: number, text: string, words: ReadonlySet<string> = keywords(text)): void {
    if (this.entries.has(id)) return;
    this.entries.set(id, { text, words });
    if (words.size === 0) addTo(this.bare, normalizeText(text), id);
    for (const w of words) addTo(this.postings, w, id);
  }

  remove(id: number): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    if (e.words.size === 0) removeFrom(this.bare, normalizeText(e.text), id);
    for (const w of e.words) removeFrom(this.postings, w, id);
  }

  /**
   * A new question's words, spelt as the open questions spell them: two neighbours that an open
   * question writes as one word become that word ("multi head" → multihead), and a word that open
   * questions write as two becomes those two (backpropagation → back, propagation). Only spellings
   * an open question uses count, so nothing is guessed from a dictionary.
   */
  harmonize(list: ReadonlyArray<string | null>): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const w = list[i];
      if (w === null || w === undefined) continue;
      const next = list[i + 1];
      if (next && this.postings.has(w + next)) {
        out.add(w + next);
        i++;
        continue;
      }
      const parts = this.postings.has(w) ? undefined : this.split(w);
      if (parts) for (const p of parts) out.add(p);
      else out.add(w);
    }
    return out;
  }

  /** `word` as two words open questions have (the longer shorter part first), if it splits so. */
  private split(word: string): [string, string] | undefined {
    let best: [string, string] | undefined;
    let bestShort = 0;
    // Both parts of three letters or more.
    for (let i = 3; i <= word.length - 3; i++) {
      const short = Math.min(i, word.length - i);
      if (short <= bestShort) continue;
      const a = word.slice(0, i);
      const b = word.slice(i);
      if (this.postings.has(a) && this.postings.has(b) && this.neighbours(a, b)) {
        best = [a, b];
        bestShort = short;
      }
    }
    return best;
  }

  /**
   * Whether an open question writes `a` then `b` side by side ("take notes on a book" has both
   * words, not "note book"). Only the 20 newest questions of the rarer word are read, so a common
   * word never makes this cost more as questions pile up.
   */
  private neighbours(a: string, b: string): boolean {
    const la = listOf(this.postings.get(a));
    const lb = listOf(this.postings.get(b));
    const rarer = la.length <= lb.length ? la : lb;
    for (let k = rarer.length - 1; k >= 0 && k >= rarer.length - 20; k--) {
      const list = keywordList(this.entries.get(rarer[k]!)!.text);
      for (let i = 0; i + 1 < list.length; i++) if (list[i] === a && list[i + 1] === b) return true;
    }
    return false;
  }

  /** The open question most like `text` at or above the threshold (the newest of equals), if any. */
  findSimilar(text: string, words: ReadonlySet<string> = keywords(text)): number | undefined {
    let best: number | undefined;
    let bestScore = this.threshold;
    for (const id of this.candidates(text, words)) {
      const q = this.entries.get(id)!;
      const s = similarity(text, q.text, words, q.words);
      if (s > bestScore || (s === bestScore && (best === undefined || id > best))) {
        bestScore = s;
        best = id;
      }
    }
    return best;
  }

  private candidates(text: string, words: ReadonlySet<string>): Iterable<number> {
    if (words.size === 0) return listOf(this.bare.get(normalizeText(text)));
    const t = this.threshold;
    const overlap = Math.ceil((t * words.size) / (2 - t) - 1e-9);
    const probe = Math.max(1, words.size - overlap + 1);
    // (A word no open question has is the rarest of all: an empty list, never `undefined`, which
    // Array#sort would move to the end.)
    const lists = [...words].map((w) => listOf(this.postings.get(w))).sort((a, b) => a.length - b.length);
    if (probe === 1) return lists[0]!;
    const out = new Set<number>();
    for (let i = 0; i < probe; i++) for (const id of lists[i]!) out.add(id);
    return out;
  }
}

/** The questions that have a word: one id (the usual case, no allocation) or a list of them. */
type Posting = number | number[];

const NONE: readonly number[] = [];
const listOf = (p: Posting | undefined): readonly number[] => (p === undefined ? NONE : typeof p === 'number' ? [p] : p);

function addTo(map: Map<string, Posting>, key: string, id: number): void {
  const p = map.get(key);
  if (p === undefined) map.set(key, id);
  else if (typeof p === 'number') map.set(key, [p, id]);
  else p.push(id);
}

function removeFrom(map: Map<string, Posting>, key: string, id: number): void {
  const p = map.get(key);
  if (p === undefined) return;
  if (typeof p === 'number') {
    if (p === id) map.delete(key);
    return;
  }
  const i = p.indexOf(id);
  if (i >= 0) p.splice(i, 1);
  if (p.length === 1) map.set(key, p[0]!);
}
