import type { PhrasingContent, RootContent } from 'mdast';
import { answerVod, clock, questionVod, shown, sortedByScore, type ExportData, type ExportQuestion } from './data.js';
import { frontMatter, heading, joined, lines, link, noteLink, orderedList, paragraph, plural, raw, serialise, strong, text, topicKey } from './mdast.js';

export { escapeMarkdown } from './mdast.js';

/** At most this many questions under "Most asked". */
const MOST_ASKED = 5;

/** Where the VOD shows the question answered, as "answered at [12:34](link)" or "answered in [Post](url)". */
function stateLine(data: ExportData, q: ExportQuestion): PhrasingContent[] {
  if (q.answeredBy) return [raw('answered in '), ...link(q.answeredBy.title, q.answeredBy.url)];
  if (q.state !== 'answered') return [raw(q.state === 'dismissed' ? 'dismissed' : 'not answered yet')];
  if (!q.stateAt) return [raw('answered')];
  const offset = Math.max(0, Math.floor((Date.parse(q.stateAt) - data.stream.startedAt) / 1000));
  return [raw('answered at '), ...link(clock(offset), answerVod(data, q))];
}

function questionItem(data: ExportData, q: ExportQuestion): PhrasingContent[] {
  const askers = joined(
    q.askers.map((a) => [text(`${a.name} (${a.platform})`)]),
    ', ',
  );
  const meta: PhrasingContent[][] = [
    [raw('asked by '), ...askers],
    [raw(plural(q.votes, 'vote'))],
    ...(q.paid ? [[text(`${q.paid.display} paid`)]] : []),
    [raw('at '), ...link(clock(q.offsetSeconds), questionVod(data, q))],
    stateLine(data, q),
  ];
  return lines([[strong(`#${q.id}`), raw(' '), text(q.text)], joined(meta, '; '), ...(q.note ? [[raw('Notes: '), ...noteLink(q.note)]] : [])]);
}

interface Section {
  readonly key: string;
  readonly title: string;
  readonly start: number;
  end: number;
  readonly topicIds: Set<number>;
}

/**
 * A blog-post draft: front matter, the most asked questions, then each topic with its questions.
 * A topic none of whose questions is kept has no section; the same topic set twice in a row is
 * one section. Questions of no topic (or one not in the timeline) come first.
 */
export function toMarkdown(data: ExportData): string {
  const date = new Date(data.stream.startedAt).toISOString().slice(0, 10);
  const title = `Questions from the stream of ${date}`;
  const kept = shown(data.questions).filter((q) => q.state !== 'dismissed');
  const viewers = new Set(kept.flatMap((q) => q.askers.map((a) => `${a.platform}:${a.name}`))).size;
  const topicCount = new Set(data.topics.map((t) => topicKey(t.title))).size;
  const body: RootContent[] = [
    heading(1, title),
    paragraph([raw(`${plural(kept.length, 'question')} from ${plural(viewers, 'viewer')}, over ${plural(topicCount, 'topic')}.`)]),
  ];
  const top = sortedByScore(kept).slice(0, MOST_ASKED);
  if (top.length) {
    body.push(
      heading(2, 'Most asked'),
      orderedList(
        top.map((q) => [strong(`#${q.id}`), raw(' '), text(q.text), raw(` (score ${q.score}: ${plural(q.askerCount, 'asker')}, ${plural(q.votes, 'vote')})`)]),
      ),
    );
  }
  const sections: Section[] = [];
  for (const t of data.topics) {
    const last = sections[sections.length - 1];
    const key = topicKey(t.title);
    if (last && last.key === key) {
      last.end = t.endOffsetSeconds;
      last.topicIds.add(t.id);
    } else sections.push({ key, title: t.title, start: t.startOffsetSeconds, end: t.endOffsetSeconds, topicIds: new Set([t.id]) });
  }
  const inTimeline = new Set(data.topics.map((t) => t.id));
  const groups = [
    { heading: 'Before the first topic', questions: kept.filter((q) => q.topicId === null || !inTimeline.has(q.topicId)) },
    ...sections.map((s) => ({
      heading: `${s.title} (${clock(s.start)}–${clock(s.end)})`,
      questions: kept.filter((q) => q.topicId !== null && s.topicIds.has(q.topicId)),
    })),
  ];
  for (const g of groups) {
    if (g.questions.length === 0) continue;
    body.push(heading(2, g.heading), orderedList(sortedByScore(g.questions).map((q) => questionItem(data, q))));
  }
  const tags = data.topics.map((t) => t.title);
  return `${frontMatter(title, date, tags)}\n${serialise(body)}`;
}
