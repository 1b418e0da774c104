import { clock, questionVod, shown, sortedByScore, type ExportData, type ExportQuestion } from './data.js';

/**
 * Viewer text as inert Markdown: every character with a Markdown meaning is backslash-escaped
 * and `&` becomes an entity, so no viewer's markup becomes emphasis, a link or HTML. `:`, `.`
 * and `@` are escaped too, which keeps GitHub-flavoured renderers from turning a viewer's URL
 * or address into a live link.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_{}[\]()#!|~<>:.@]/g, (c) => `\\${c}`);
}

const yamlString = (s: string) => JSON.stringify(s);
/** A topic as a front-matter tag: site generators render tags as HTML, so markup is stripped. */
const tag = (title: string) => yamlString(title.replace(/<[^>]*>/g, '').replace(/[<>&"`]/g, '').replace(/\s+/g, ' ').trim());

function questionLine(data: ExportData, q: ExportQuestion, index: number): string {
  const askers = q.askers.map((a) => `${escapeMarkdown(a.name)} (${a.platform})`).join(', ');
  const link = questionVod(data, q);
  const at = link ? `[${clock(q.offsetSeconds)}](<${link}>)` : clock(q.offsetSeconds);
  const state = q.state === 'answered' ? 'answered' : q.state === 'dismissed' ? 'dismissed' : 'not answered yet';
  const paid = q.paid ? `; ${escapeMarkdown(q.paid.display)} paid` : '';
  return `${index + 1}. **#${q.id}** ${escapeMarkdown(q.text)}  \n   asked by ${askers}; ${q.votes} vote${q.votes === 1 ? '' : 's'}${paid}; at ${at}; ${state}`;
}

/** A blog-post draft: front matter, the most asked questions, then each topic with its questions. */
export function toMarkdown(data: ExportData): string {
  const date = new Date(data.stream.startedAt).toISOString().slice(0, 10);
  const title = `Questions from the stream of ${date}`;
  const kept = shown(data.questions).filter((q) => q.state !== 'dismissed');
  const out: string[] = [
    '---',
    `title: ${yamlString(title)}`,
    `date: ${date}`,
    `tags: [${[...new Set(data.topics.map((t) => tag(t.title)))].filter((t) => t !== '""').join(', ')}]`,
    '---',
    '',
    `# ${escapeMarkdown(title)}`,
    '',
    `${kept.length} question${kept.length === 1 ? '' : 's'} from ${new Set(kept.flatMap((q) => q.askers.map((a) => `${a.platform}:${a.name}`))).size} viewers, over ${data.topics.length} topic${data.topics.length === 1 ? '' : 's'}.`,
    '',
    '## Most asked',
    '',
  ];
  const top = sortedByScore(kept).slice(0, 5);
  if (top.length === 0) out.push('No questions were asked.', '');
  else {
    top.forEach((q, i) => out.push(`${i + 1}. **#${q.id}** ${escapeMarkdown(q.text)} (score ${q.score}: ${q.askerCount} asked, ${q.votes} votes)`));
    out.push('');
  }
  const sections: Array<{ heading: string; questions: ExportQuestion[] }> = [];
  const untopiced = kept.filter((q) => q.topicId === null);
  if (untopiced.length) sections.push({ heading: 'Before the first topic', questions: untopiced });
  for (const t of data.topics) {
    const range = `${clock(t.startOffsetSeconds)}–${clock(t.endOffsetSeconds)}`;
    sections.push({ heading: `${escapeMarkdown(t.title)} (${range})`, questions: kept.filter((q) => q.topicId === t.id) });
  }
  for (const s of sections) {
    out.push(`## ${s.heading}`, '');
    if (s.questions.length === 0) out.push('No questions.', '');
    else {
      sortedByScore(s.questions).forEach((q, i) => out.push(questionLine(data, q, i)));
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
