import type { ForgetResult, QuestionRef, Store } from '../store/index.js';
import { nameKey, type AccountSummary, type Viewer } from './viewers.js';

/** A question as chat and exports name it: its number in a stream session. */
export interface QuestionPlace {
  readonly stream: number;
  readonly number: number;
}

/** What `forget` removed, as the CLI prints it and the API answers (no text of any question). */
export interface ForgetReport {
  readonly platform: string;
  readonly id: string | null;
  readonly names: readonly string[];
  /** Questions only this viewer asked: erased, with their votes. */
  readonly questions: readonly QuestionPlace[];
  /** Questions others asked too: kept for them, without this viewer. */
  readonly askerships: readonly QuestionPlace[];
  readonly votes: number;
  readonly followUps: number;
  /** Backlog items dropped (none of their questions left), and items whose text was replaced. */
  readonly backlogItems: number;
  readonly backlogTexts: number;
  readonly proposals: number;
  /** Topics no longer credited to them. */
  readonly topics: number;
  /** Left alone: other viewers' questions that contain one of their names. */
  readonly mentions: readonly QuestionPlace[];
}

/** What a request to forget someone came to: erased, nobody by that name, or several accounts by it. */
export type ForgetOutcome =
  | { readonly kind: 'forgotten'; readonly report: ForgetReport }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly accounts: readonly AccountSummary[] };

/** Names shorter than this are too common to look for in other viewers' words. */
const MIN_MENTION = 3;

const place = (q: Pick<QuestionRef, 'streamId' | 'number'>): QuestionPlace => ({ stream: q.streamId, number: q.number });

/** Erases a viewer in every stream, in one transaction; `result` is what changed, row by row. */
export function forgetViewer(store: Store, viewer: Viewer): { report: ForgetReport; result: ForgetResult } {
  const result = store.viewers.forget(viewer.platform, viewer.id, viewer.setBy);
  const words = new Set(viewer.names.map(nameKey).filter((w) => [...w].length >= MIN_MENTION));
  const mentions = new Map<number, QuestionPlace>();
  for (const w of words) for (const q of store.viewers.mentioning(w)) mentions.set(q.id, place(q));
  const report: ForgetReport = {
    platform: viewer.platform,
    id: viewer.id,
    names: viewer.names,
    questions: result.deleted.map(place),
    askerships: result.unasked.map(place),
    votes: result.votes,
    followUps: result.followUps,
    backlogItems: result.itemsDropped,
    backlogTexts: result.itemsRetexted,
    proposals: result.proposals,
    topics: result.topics,
    mentions: [...mentions.values()].sort((a, b) => a.stream - b.stream || a.number - b.number),
  };
  return { report, result };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "#2 and #5 in stream 1, #1 in stream 3". */
export function places(list: readonly QuestionPlace[]): string {
  const byStream = new Map<number, number[]>();
  for (const p of list) byStream.set(p.stream, [...(byStream.get(p.stream) ?? []), p.number]);
  return [...byStream.entries()]
    .map(([stream, numbers]) => {
      const n = numbers.map((x) => `#${x}`);
      return `${n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n.at(-1)}` : n[0]} in stream ${stream}`;
    })
    .join('; ');
}

/** The report in plain lines, as `lectern forget` prints it. */
export function describeForget(r: ForgetReport): string[] {
  const who = `${r.platform} viewer ${r.names[0] ?? r.id}${r.id !== null && r.names.length ? ` (account ${r.id})` : ''}`;
  const lines = [`Forgot ${who}${r.names.length > 1 ? `, also seen as ${r.names.slice(1).join(', ')}` : ''}:`];
  const item = (n: number, text: string) => n > 0 && lines.push(`  ${text}`);
  item(r.questions.length, `${plural(r.questions.length, 'question')} erased: ${places(r.questions)}`);
  item(r.askerships.length, `${plural(r.askerships.length, 'question')} others asked too, kept for them without this viewer: ${places(r.askerships)}`);
  item(r.votes, `${plural(r.votes, 'vote')} withdrawn`);
  item(r.backlogItems, `${plural(r.backlogItems, 'backlog item')} dropped (no question left in ${r.backlogItems === 1 ? 'it' : 'them'})`);
  item(r.backlogTexts, `${plural(r.backlogTexts, 'backlog item')} now worded as another viewer asked it`);
  item(r.proposals, `${plural(r.proposals, 'proposed answer')} of dropped items removed`);
  item(r.followUps, `${plural(r.followUps, 'follow-up')} removed`);
  item(r.topics, `${plural(r.topics, 'topic')} no longer credited to them`);
  if (lines.length === 1) lines.push('  nothing was stored about them');
  const m = r.mentions.length;
  if (m)
    lines.push(
      `${m === 1 ? 'A question by another viewer mentions' : `${m} questions by other viewers mention`} them (${places(r.mentions)}): left as ${m === 1 ? 'it is' : 'they are'}.`,
    );
  return lines;
}
