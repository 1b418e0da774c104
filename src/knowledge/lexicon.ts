/**
 * Abbreviations the notes define themselves: "Model FLOPS Utilization (MFU)", "InfiniBand (IB)",
 * "TP (Tensor Parallelism)". A viewer who writes "mfu" is then also looking for the words of its
 * long form, and one who writes "tensor parallelism" also for "tp".
 *
 * The long form is found as Schwartz and Hearst do ("A simple algorithm for identifying
 * abbreviation definitions in biomedical text", 2003): the shortest run of words before the
 * parenthesis in which the abbreviation's letters and digits appear in order, its first one at
 * the start of a word. Nothing is guessed: a pair counts only where the notes write it, and a
 * note that is removed or changed takes its pairs with it.
 */

/** The abbreviation in parentheses: a letter, then 1 to 9 letters, digits or hyphens. */
const SHORT = /^[\p{L}][\p{L}\p{N}-]{1,9}$/u;

export interface Abbreviation {
  /** The abbreviation as a viewer types it, lower-cased ("mfu", "gbs"; not stemmed: "gbs" is
   * not "gb"). */
  readonly short: string;
  /** Its long form, processed as index terms, stop-words dropped ("model", "flop", "util"). */
  readonly long: readonly string[];
}

/**
 * The long form of `short` at the end of `text` (Schwartz and Hearst's `findBestLongForm`), or
 * undefined.
 */
export function longFormBefore(short: string, text: string): string | undefined {
  const s = short.toLowerCase();
  const l = text.toLowerCase();
  let li = l.length - 1;
  for (let si = s.length - 1; si >= 0; si--) {
    const c = s[si]!;
    if (!/[\p{L}\p{N}]/u.test(c)) continue;
    // The first character must start a word; the others may be anywhere.
    while (li >= 0 && (l[li] !== c || (si === 0 && li > 0 && /[\p{L}\p{N}]/u.test(l[li - 1]!)))) li--;
    if (li < 0) return undefined;
    li--;
  }
  const start = text.lastIndexOf(' ', li) + 1;
  return text.slice(start);
}

/**
 * The abbreviations a text defines: "long form (SHORT)" and "SHORT (long form)". `process` turns
 * a word into an index term (or null for a stop-word), `tokenize` splits text into words.
 */
export function findAbbreviations(
  text: string,
  process: (word: string) => string | null,
  tokenize: (text: string) => string[],
  normalize: (word: string) => string,
): Abbreviation[] {
  const out: Abbreviation[] = [];
  // Definitions are prose: code blocks and inline code are left out.
  const prose = text.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[ \t]*$|(?![\s\S]))/gm, '\n').replace(/`[^`\n]*`/g, ' ');
  for (const m of prose.matchAll(/\(([^()\n]{1,60})\)/g)) {
    const inner = m[1]!.trim();
    const before = prose.slice(Math.max(0, m.index - 120), m.index).replace(/\s+$/, '');
    if (!before || !/[\p{L}\p{N}]$/u.test(before)) continue;
    if (SHORT.test(inner) && /\p{Lu}.*\p{Lu}|\p{N}/u.test(inner)) {
      // "long form (SHORT)": at most min(|S| + 5, 2|S|) words back, within the sentence.
      const sentence = before.split(/[.!?;:\n]\s/).pop()!;
      const words = sentence.split(/\s+/);
      const window = words.slice(-Math.min(inner.length + 5, inner.length * 2)).join(' ');
      const long = longFormBefore(inner, window);
      if (long) add(inner, long);
    } else {
      // "SHORT (long form)": the word just before the parenthesis, the whole parenthesis.
      const short = /(?:^|[^\p{L}\p{N}])([\p{L}][\p{L}\p{N}-]{1,9})$/u.exec(before)?.[1];
      if (!short || !/\p{Lu}.*\p{Lu}/u.test(short) || inner.split(/\s+/).length < 2) continue;
      if (longFormBefore(short, inner) === inner) add(short, inner);
    }
  }
  return out;

  function add(short: string, long: string): void {
    const s = normalize(short).replace(/\s+/g, '');
    const letters = s.replace(/[^\p{L}]/gu, '').length;
    const raw = long.split(/[\s-]+/).filter(Boolean);
    const l = tokenize(long)
      .map(process)
      .filter((w): w is string => Boolean(w));
    // A long form of about one word per letter, longer than the abbreviation, not containing it.
    if (!s || !l.length || raw.length > letters + 2 || normalize(long).replace(/\s+/g, '').length <= s.length) return;
    if (raw.some((w) => normalize(w) === s)) return;
    out.push({ short: s, long: l });
  }
}

/** Numeronyms shorten words of at least this many letters plus two (see findNumeronyms). */
const MIN_NUMERONYM = 5;

/**
 * Numeronyms a text uses with the word they shorten: "k8s" where the same text writes
 * "Kubernetes" (k, 8 letters, s), "i18n" and "internationalization". A numeronym counts only
 * beside its word, so that "k8s" is not guessed from any k-word of ten letters. Code is left in:
 * a numeronym in a command still names the word. Five letters left out at least: "p4d" (an
 * instance type) is no word's short form.
 */
export function findNumeronyms(text: string, process: (word: string) => string | null): Abbreviation[] {
  const out: Abbreviation[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])(\p{L})(\d{1,2})(\p{L})(?![\p{L}\p{N}])/gu)) {
    const short = m[0].toLowerCase();
    const n = Number(m[2]);
    if (n < MIN_NUMERONYM || seen.has(short)) continue;
    seen.add(short);
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${m[1]}\\p{L}{${n}}${m[3]}(?![\\p{L}\\p{N}])`, 'iu').exec(text)?.[0];
    const term = word && process(word);
    if (term) out.push({ short, long: [term] });
  }
  return out;
}

/**
 * The abbreviations of all the notes, by the group (note file, feed) that defines them, so that
 * a group re-indexed or removed takes its own away.
 */
export class Lexicon {
  private readonly byGroup = new Map<string, Abbreviation[]>();
  /** short → long form key → [long form, how many definitions]. */
  private readonly longs = new Map<string, Map<string, { long: readonly string[]; count: number }>>();
  /** First word of a long form → the abbreviations whose long form starts with it. */
  private readonly byFirst = new Map<string, Map<string, { long: readonly string[]; short: string; count: number }>>();

  set(group: string, abbreviations: readonly Abbreviation[]): void {
    this.remove(group);
    if (!abbreviations.length) return;
    this.byGroup.set(group, [...abbreviations]);
    for (const a of abbreviations) this.change(a, 1);
  }

  remove(group: string): void {
    for (const a of this.byGroup.get(group) ?? []) this.change(a, -1);
    this.byGroup.delete(group);
  }

  private change(a: Abbreviation, delta: number): void {
    const key = a.long.join(' ');
    const forShort = this.longs.get(a.short) ?? this.longs.set(a.short, new Map()).get(a.short)!;
    const entry = forShort.get(key) ?? forShort.set(key, { long: a.long, count: 0 }).get(key)!;
    entry.count += delta;
    if (entry.count <= 0) forShort.delete(key);
    if (!forShort.size) this.longs.delete(a.short);
    const first = a.long[0]!;
    const forFirst = this.byFirst.get(first) ?? this.byFirst.set(first, new Map()).get(first)!;
    const k = `${a.short} ${key}`;
    const e = forFirst.get(k) ?? forFirst.set(k, { long: a.long, short: a.short, count: 0 }).get(k)!;
    e.count += delta;
    if (e.count <= 0) forFirst.delete(k);
    if (!forFirst.size) this.byFirst.delete(first);
  }

  /** The long forms of an abbreviation (processed terms), most often defined first. */
  expand(short: string): Array<readonly string[]> {
    const forShort = this.longs.get(short);
    if (!forShort) return [];
    return [...forShort.values()].sort((a, b) => b.count - a.count).map((e) => e.long);
  }

  /**
   * The abbreviations whose long form is written in `terms` (processed query words, in order):
   * each with the index of its first word and its length.
   */
  contract(terms: readonly string[]): Array<{ short: string; at: number; length: number }> {
    const out: Array<{ short: string; at: number; length: number }> = [];
    for (let i = 0; i < terms.length; i++) {
      for (const { long, short } of this.byFirst.get(terms[i]!)?.values() ?? []) {
        if (long.length < 2 || i + long.length > terms.length) continue;
        if (long.every((w, j) => terms[i + j] === w) && !terms.includes(short)) out.push({ short, at: i, length: long.length });
      }
    }
    return out;
  }

  get size(): number {
    return this.longs.size;
  }
}
