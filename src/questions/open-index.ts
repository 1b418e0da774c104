import { normalizeText } from '../core/index.js';
import { keywords, similarity } from './similarity.js';

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
