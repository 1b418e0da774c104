import type { PhrasingContent, RootContent } from 'mdast';
import type { BacklogDraft, BacklogDraftItem } from './data.js';
import { frontMatter, heading, joined, lines, link, noteLink, orderedList, paragraph, plain, plural, raw, serialise, strong, text } from './mdast.js';

const day = (iso: string) => iso.slice(0, 10);

/** The streams an item came up in, earliest first, each once: "stream 4 on [2026-06-01](VOD)". */
function cameUp(item: BacklogDraftItem): PhrasingContent[] {
  const byStream = new Map<number, BacklogDraftItem['asked'][number]>();
  for (const a of [...item.asked].sort((x, y) => x.askedAt.localeCompare(y.askedAt))) {
    const seen = byStream.get(a.streamId);
    // The first time in a stream; its VOD link, or a later one's when the first has none.
    if (!seen) byStream.set(a.streamId, a);
    else if (!seen.vodLink && a.vodLink) byStream.set(a.streamId, { ...seen, vodLink: a.vodLink });
  }
  const parts = [...byStream.values()].map((a) => [raw(`stream ${a.streamId} on `), ...link(day(a.askedAt), a.vodLink)]);
  return [raw('came up in '), ...joined(parts, ', ')];
}

function item(d: BacklogDraft, it: BacklogDraftItem): PhrasingContent[] {
  const meta: PhrasingContent[][] = [
    [raw(`asked by ${plural(it.askerCount, 'viewer')}`)],
    [raw(plural(it.votes, 'vote'))],
    ...(it.paid.length ? [[text(`${it.paid.join(', ')} paid`)]] : []),
    // In a draft over every topic, each item says which topics it belongs to.
    ...(d.topic === null && it.topics.length ? [[raw(it.topics.length === 1 ? 'topic: ' : 'topics: '), text(it.topics.join(', '))]] : []),
  ];
  return lines([
    [strong(`#${it.id}`), raw(' '), text(it.text)],
    joined(meta, '; '),
    ...(it.asked.length ? [cameUp(it)] : []),
    ...(it.note ? [[raw('Notes: '), ...noteLink(it.note)]] : []),
    ...(it.answeredBy ? [[raw('answered in '), ...link(it.answeredBy.title, it.answeredBy.url)]] : []),
  ]);
}

/**
 * A post draft over the backlog (unanswered questions across streams) for one topic or all:
 * front matter, a summary line, then the items in the order given (best first), each with its
 * text, askers and votes, payments, the streams it came up in (with VOD links where known) and
 * the note section matched for it. Viewer text is `text` nodes only, as in `toMarkdown`.
 * "From M viewers" counts each viewer once, however many of the items they asked.
 */
export function backlogToMarkdown(d: BacklogDraft): string {
  const date = new Date(d.generatedAt).toISOString().slice(0, 10);
  const topic = d.topic === null ? '' : plain(d.topic);
  const title = topic ? `Open questions: ${topic}` : 'Open questions';
  const viewers = d.viewers;
  const streams = new Set(d.items.flatMap((it) => it.asked.map((a) => a.streamId))).size;
  const body: RootContent[] = [
    heading(1, d.topic === null ? 'Open questions' : `Open questions: ${d.topic}`),
    paragraph([raw(`${plural(d.items.length, 'question')} from ${plural(viewers, 'viewer')} over ${plural(streams, 'stream')}.`)]),
  ];
  if (d.items.length) body.push(orderedList(d.items.map((it) => item(d, it))));
  const tags = d.topic === null ? d.items.flatMap((it) => it.topics) : [d.topic];
  return `${frontMatter(title, date, tags)}\n${serialise(body)}`;
}
