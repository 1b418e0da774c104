import { codePointLength } from '../core/index.js';
import { safeOutgoing } from './split.js';

export interface MergeEntry {
  readonly mention: string | undefined;
  readonly short: string;
}

export interface Item {
  readonly channel: string;
  readonly text: string;
  readonly mention: string | undefined;
  readonly replyTo: string | undefined;
  readonly deadline: number;
  /** Part of a reply that was split: sent alone, never packed with others. */
  readonly part: boolean;
  /** How many replies this item carries (more than one once merged). */
  readonly replies: number;
  readonly merge?: { readonly key: string; readonly entries: readonly MergeEntry[] };
  retried?: boolean;
}

const renderEntry = (e: MergeEntry) => (e.mention ? `${e.mention} ${e.short}` : e.short);

/** One message to send: the replies it carries, in queue order. */
export interface Packed {
  readonly channel: string;
  readonly text: string;
  readonly replyTo: string | undefined;
  readonly items: Item[];
}

/**
 * `last` with one more merged reply (`@a #12 · @b #13`), or undefined when it is not of the same
 * merge key and channel or the result would not fit in `max` characters.
 */
export function mergeInto(
  last: Item,
  channel: string,
  merge: { key: string; short: string },
  mention: string | undefined,
  max: number,
  deadline: number,
): Item | undefined {
  if (!last.merge || last.merge.key !== merge.key || last.channel !== channel) return undefined;
  const entries = [...last.merge.entries, { mention, short: safeOutgoing(merge.short) }];
  const text = entries.map(renderEntry).join(' · ');
  if (codePointLength(text) > max) return undefined;
  return { ...last, text, mention: undefined, replyTo: undefined, replies: last.replies + 1, deadline, merge: { key: merge.key, entries } };
}

/**
 * Takes the head of the queue and, when more replies wait behind it, packs as many as fit into
 * one message: replies with the same text share it (`@a @b text`), different texts are joined
 * with `separator`. The items taken leave `queue`.
 */
export function pack(queue: Item[], max: number, separator: string): Packed {
  const head = queue.shift()!;
  const single = (it: Item) => (it.mention ? `${it.mention} ${it.text}` : it.text);
  if (head.part || queue.length === 0) {
    return { channel: head.channel, text: single(head), replyTo: head.replyTo, items: [head] };
  }
  const groups = new Map<string, { mentions: string[]; items: Item[] }>();
  const render = () => [...groups.entries()].map(([text, g]) => [...new Set(g.mentions)].concat(text).join(' ')).join(separator);
  const add = (it: Item) => {
    const g = groups.get(it.text) ?? { mentions: [], items: [] };
    if (!groups.has(it.text)) groups.set(it.text, g);
    g.items.push(it);
    if (it.mention) g.mentions.push(it.mention);
  };
  add(head);
  const taken = [head];
  for (let i = 0; i < queue.length;) {
    const it = queue[i]!;
    if (it.part || it.channel !== head.channel) {
      i++;
      continue;
    }
    add(it);
    if (codePointLength(render()) > max) {
      // Undo: it does not fit.
      const g = groups.get(it.text)!;
      g.items.pop();
      if (it.mention) g.mentions.pop();
      if (g.items.length === 0) groups.delete(it.text);
      i++;
      continue;
    }
    taken.push(it);
    queue.splice(i, 1);
  }
  const threaded = taken.length === 1 || taken.every((t) => t.replyTo === head.replyTo);
  return { channel: head.channel, text: render(), replyTo: threaded ? head.replyTo : undefined, items: taken };
}
