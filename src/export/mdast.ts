import type { Break, Heading, Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Strong, Text } from 'mdast';
import { toMarkdown, type Options, type Unsafe } from 'mdast-util-to-markdown';
import type { ExportLink } from './data.js';

/*
 * The post drafts are Markdown syntax trees serialised by mdast-util-to-markdown, which escapes a
 * character only where it would otherwise change the rendering: "Attention: queries?", "hi!",
 * "Alice_Learns" and "@MariaCodes" come out as they are (the escapes a paste into Substack or
 * Medium shows literally are gone), while `2*3*4`, `# not a heading` or `<b>x</b>` are escaped.
 *
 * Viewer text only ever goes into `text` nodes, never `html` nodes: the serialiser escapes a `<`
 * that could open a tag, comment or autolink (`\<img …>`, `\<script>`, `\<https://…>`), a `[` that
 * could open a link and a `&` that could start a character reference, so no viewer's markup,
 * link or autolink is ever produced.
 */

/**
 * Viewer URLs stay text. CommonMark links nothing bare, but GitHub-flavoured renderers (GitHub,
 * marked's default, most site generators) turn three "autolink literals" into live links:
 * `http(s)://…` / `ftp://…`, `www.…` and e-mail addresses. These three extra patterns (the ones
 * the mdast GFM autolink-literal extension uses) escape just the character that starts one: the
 * `:` of `https://` (`https\://evil.example`), the `.` after `www` (`www\.x.com`) and the `@` of an
 * address (`me\@x.com`). A Markdown renderer shows the text unchanged and links none of them. A
 * bare domain (`evil.example/x`) is no link in CommonMark or GFM and is left as it is: escaping
 * every dot would put a backslash into "node.js" or "e.g." in every pasted draft.
 * GFM strikethrough (`~x~`, `~~x~~`) is guarded too: a `~` next to a non-space is escaped.
 */
const phrasing: Pick<Unsafe, 'inConstruct' | 'notInConstruct'> = { inConstruct: 'phrasing', notInConstruct: ['autolink', 'link', 'image', 'label'] };
const UNSAFE: Unsafe[] = [
  { character: '@', before: '[+\\-.\\w]', after: '[\\-.\\w]', ...phrasing },
  { character: '.', before: '[Ww]', after: '[\\-.\\w]', ...phrasing },
  { character: ':', before: '[PpSs]', after: '\\/', ...phrasing },
  { character: '~', before: '[^\\s]', ...phrasing },
  { character: '~', after: '[^\\s]', ...phrasing },
];

const OPTIONS: Options = {
  bullet: '-',
  // `[text](url)` always, never `<url>`, even when a title is its own URL.
  resourceLink: true,
  unsafe: UNSAFE,
  // A line break as two trailing spaces: a plain-text paste shows nothing of it, where the
  // default `\` at the end of the line would show.
  handlers: { break: () => '  \n' },
};

export function serialise(children: RootContent[]): string {
  const root: Root = { type: 'root', children };
  return toMarkdown(root, OPTIONS);
}

/** Viewer (or topic) text on one line: line breaks become a space, ends trimmed. */
export const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

export const text = (value: string): Text => ({ type: 'text', value: oneLine(value) });
/** Text Lectern wrote itself (joiners, counts): kept as it is, spaces included. */
export const raw = (value: string): Text => ({ type: 'text', value });
export const strong = (value: string): Strong => ({ type: 'strong', children: [text(value)] });
export const br = (): Break => ({ type: 'break' });
export const heading = (depth: 1 | 2, value: string): Heading => ({ type: 'heading', depth, children: [text(value)] });
export const paragraph = (children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });

/** Only web links become links; anything else (a `javascript:` URL, a path) stays text. */
const WEB = /^https?:\/\/[^\s]+$/i;

/** A link Lectern puts there (VOD, note section, post); its text as text. */
export function link(label: string, url: string | null | undefined): PhrasingContent[] {
  if (!url) return [text(label)];
  if (!WEB.test(url)) return [text(`${label} (${url})`)];
  const node: Link = { type: 'link', url, children: [text(label)] };
  return [node];
}

export const noteLink = (l: ExportLink): PhrasingContent[] => link(l.title, l.url);

/** A tight numbered list, 1. 2. 3. …, one paragraph an item. */
export function orderedList(items: PhrasingContent[][]): List {
  return {
    type: 'list',
    ordered: true,
    start: 1,
    spread: false,
    children: items.map((c): ListItem => ({ type: 'listItem', spread: false, children: [paragraph(c)] })),
  };
}

/** Lines of phrasing joined with line breaks (two trailing spaces). */
export function lines(parts: PhrasingContent[][]): PhrasingContent[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [br(), ...p]));
}

/** Phrasing parts joined by a separator (`; `, `, `). */
export function joined(parts: PhrasingContent[][], separator: string): PhrasingContent[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [raw(separator), ...p]));
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/**
 * Viewer text as inline Markdown that renders as exactly that text (on one line), escaped only
 * where needed; what the drafts do for each text node.
 */
export function escapeMarkdown(value: string): string {
  return serialise([paragraph([text(value)])]).replace(/\n$/, '');
}

const yamlString = (s: string) => JSON.stringify(s);
/** Text for front matter: site generators render it as HTML, so markup is stripped. */
export const plain = (s: string): string =>
  s
    .replace(/<[^>]*>/g, '')
    .replace(/[<>&"`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** YAML front matter: title, date (YYYY-MM-DD), tags (the same topic once, empty ones dropped). */
export function frontMatter(title: string, date: string, tags: readonly string[]): string {
  const byKey = new Map<string, string>();
  for (const tag of tags.map(plain)) if (tag && !byKey.has(topicKey(tag))) byKey.set(topicKey(tag), tag);
  const t = [...byKey.values()];
  return ['---', `title: ${yamlString(title)}`, `date: ${date}`, `tags: [${t.map(yamlString).join(', ')}]`, '---', ''].join('\n');
}

/** The same topic, whatever its case or spacing ("Attention" and "attention  "). */
export const topicKey = (title: string): string => title.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
