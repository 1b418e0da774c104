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
  private readonly postings = new Map<string, Set<number>>();
  /** Questions with no meaningful word match only the same normalised text. */
  private readonly bare = new Map<string, Set<number>>();

  constructor(private readonly threshold: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  add(id: number, text: string): void {
    if (this.entries.has(id)) return;
    const words = keywords(text);
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
  findSimilar(text: string): number | undefined {
    const words = keywords(text);
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
    if (words.size === 0) return this.bare.get(normalizeText(text)) ?? [];
    const t = this.threshold;
    const overlap = Math.ceil((t * words.size) / (2 - t) - 1e-9);
    const probe = Math.max(1, words.size - overlap + 1);
    const lists = [...words].map((w) => this.postings.get(w)).sort((a, b) => (a?.size ?? 0) - (b?.size ?? 0));
    const out = new Set<number>();
    for (const list of lists.slice(0, probe)) if (list) for (const id of list) out.add(id);
    return out;
  }
}

function addTo(map: Map<string, Set<number>>, key: string, id: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<number>>, key: string, id: number): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
