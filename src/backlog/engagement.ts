import { topicKey } from '../topics/index.js';
import type { TopicEngagementRow } from '../store/index.js';
import type { Link } from './backlog.js';

export interface Paid {
  readonly currency: string;
  readonly amount: number;
}

/** One topic of one stream. */
export interface TopicInStream {
  readonly streamId: number;
  readonly topicId: number;
  readonly title: string;
  readonly startedAt: number;
  readonly minutes: number;
  readonly lines: number;
  readonly linesPerMinute: number;
  readonly chatters: number;
  readonly questions: number;
  readonly votes: number;
  readonly paid: readonly Paid[];
}

/** A topic across streams: what it drew, and what is still unanswered. */
export interface TopicSummary {
  readonly title: string;
  /** The note section it is linked to (set from a note, or the search's best section for its title). */
  readonly note: Link | null;
  readonly streams: readonly number[];
  readonly minutes: number;
  readonly lines: number;
  readonly linesPerMinute: number;
  /**
   * Distinct chatters summed over its streams (one viewer in two streams counts twice; within a
   * stream, a topic that comes back counts each viewer once).
   */
  readonly chatters: number;
  readonly questions: number;
  /** Its questions whose backlog item is still open. */
  readonly unanswered: number;
  readonly votes: number;
  readonly paid: readonly Paid[];
}

export interface EngagementReport {
  readonly perStream: readonly TopicInStream[];
  /** Ranked by questions, then votes, then chat lines per minute. */
  readonly topics: readonly TopicSummary[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function addPaid(into: Map<string, number>, paid: readonly Paid[]): void {
  for (const p of paid) into.set(p.currency, (into.get(p.currency) ?? 0) + p.amount);
}

const paidList = (m: Map<string, number>): Paid[] =>
  [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: Math.round(amount * 100) / 100 }));

/**
 * Engagement by topic. Topics across streams are one when their titles are the same once
 * normalised (case, spacing and a title's closing punctuation aside; "C++" and "C#" stay apart), and when they are linked to the same note
 * section (a topic set by saving a note is linked to the section the search finds for its title).
 * `unanswered(topicId)`: how many of that topic's questions have a backlog item still open.
 */
export function engagementReport(
  rows: readonly TopicEngagementRow[],
  opts: { readonly unanswered: (topicId: number) => number; readonly noteFor?: (title: string) => Link | null },
): EngagementReport {
  // Minutes as measured: rounded only when shown, so a topic across streams adds what each ran.
  const rawMinutes = rows.map((r) => Math.max(0, (r.endedAt - r.startedAt) / 60_000));
  const perStream = rows.map((r, i): TopicInStream => {
    const minutes = rawMinutes[i]!;
    return {
      streamId: r.streamId,
      topicId: r.topicId,
      title: r.title,
      startedAt: r.startedAt,
      minutes: round1(minutes),
      lines: r.lines,
      linesPerMinute: minutes > 0 ? round1(r.lines / minutes) : 0,
      chatters: r.chatters,
      questions: r.questions,
      votes: r.votes,
      paid: r.paid,
    };
  });
  // Group by normalised title; then groups linked to the same note section become one.
  const keyOf = new Map<string, string>();
  const noteOfKey = new Map<string, Link>();
  const byNote = new Map<string, string>();
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let p = parent.get(k) ?? k;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p)!;
    return p;
  };
  for (const r of rows) {
    const key = topicKey(r.title) || r.title;
    keyOf.set(String(r.topicId), key);
    if (r.source !== 'note' || !opts.noteFor) continue;
    const note = opts.noteFor(r.title);
    if (!note) continue;
    noteOfKey.set(key, note);
    const other = byNote.get(note.url);
    if (other === undefined) byNote.set(note.url, key);
    else if (find(other) !== find(key)) parent.set(find(key), find(other));
  }
  const groups = new Map<
    string,
    {
      title: string;
      streams: Set<number>;
      minutes: number;
      lines: number;
      chatters: number;
      questions: number;
      unanswered: number;
      votes: number;
      paid: Map<string, number>;
      note: Link | null;
    }
  >();
  rows.forEach((r, i) => {
    const key = find(keyOf.get(String(r.topicId))!);
    const g = groups.get(key) ?? {
      title: r.title,
      streams: new Set<number>(),
      minutes: 0,
      lines: 0,
      chatters: 0,
      questions: 0,
      unanswered: 0,
      votes: 0,
      paid: new Map<string, number>(),
      note: null,
    };
    groups.set(key, g);
    g.title = r.title; // the latest wording
    g.streams.add(r.streamId);
    g.minutes += rawMinutes[i]!;
    g.lines += r.lines;
    g.chatters += r.chatters;
    g.questions += r.questions;
    g.unanswered += opts.unanswered(r.topicId);
    g.votes += r.votes;
    addPaid(g.paid, r.paid);
    g.note ??= noteOfKey.get(keyOf.get(String(r.topicId))!) ?? null;
  });
  const topics = [...groups.values()].map((g): TopicSummary => ({
    title: g.title,
    note: g.note ?? opts.noteFor?.(g.title) ?? null,
    streams: [...g.streams].sort((a, b) => a - b),
    minutes: round1(g.minutes),
    lines: g.lines,
    linesPerMinute: g.minutes > 0 ? round1(g.lines / g.minutes) : 0,
    chatters: g.chatters,
    questions: g.questions,
    unanswered: g.unanswered,
    votes: g.votes,
    paid: paidList(g.paid),
  }));
  topics.sort((a, b) => b.questions - a.questions || b.votes - a.votes || b.linesPerMinute - a.linesPerMinute || a.title.localeCompare(b.title));
  return { perStream, topics };
}

/** "5 USD, 300 bits": amounts as given, per currency, never converted. */
export function paidText(paid: readonly Paid[]): string {
  return paid.map((p) => `${p.amount} ${p.currency}`).join(', ');
}
