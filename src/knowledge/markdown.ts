import GithubSlugger from 'github-slugger';
import { parse as parseYaml } from 'yaml';

export interface NoteSection {
  /** The heading's text as GitHub renders it (inline markup removed); '' for the part before it. */
  readonly heading: string;
  readonly level: number;
  /** GitHub's anchor for the heading, '' for the intro before the first heading. */
  readonly anchor: string;
  /** Headings above this one, outermost first (for context in the index). */
  readonly parents: readonly string[];
  readonly body: string;
}

export interface ParsedNote {
  readonly title: string;
  readonly tags: readonly string[];
  readonly aliases: readonly string[];
  readonly sections: readonly NoteSection[];
}

/** Heading text as GitHub shows it: links, images, code, emphasis and HTML reduced to their text. */
export function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=$|[^\w*])/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .trim();
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

function frontMatter(text: string): { data: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n?/.exec(text);
  if (!m) return { data: {}, body: text };
  try {
    const data = parseYaml(m[1]!, { logLevel: 'silent' }) as unknown;
    return { data: data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {}, body: text.slice(m[0].length) };
  } catch {
    return { data: {}, body: text.slice(m[0].length) };
  }
}

/**
 * Splits a note into sections at its headings (ATX `#` and setext `===`/`---`, never inside
 * fenced code), with GitHub's anchors: github-slugger per document, so duplicates get -1, -2.
 * Title: front matter `title`, else the first H1, else the file name.
 */
export function parseNote(text: string, fileName: string): ParsedNote {
  const { data, body } = frontMatter(text.replace(/^\uFEFF/, ''));
  const slugger = new GithubSlugger();
  const lines = body.split(/\r?\n/);
  const sections: NoteSection[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: { heading: string; level: number; anchor: string; parents: string[]; lines: string[] } = {
    heading: '',
    level: 0,
    anchor: '',
    parents: [],
    lines: [],
  };
  let fence: string | null = null;
  let firstH1: string | undefined;

  const flush = () => {
    const bodyText = current.lines.join('\n').trim();
    if (current.heading || bodyText)
      sections.push({ heading: current.heading, level: current.level, anchor: current.anchor, parents: current.parents, body: bodyText });
  };
  const open = (level: number, raw: string) => {
    const heading = headingText(raw);
    flush();
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    const parents = stack.map((s) => s.text);
    stack.push({ level, text: heading });
    if (level === 1 && firstH1 === undefined) firstH1 = heading;
    current = { heading, level, anchor: slugger.slug(heading), parents, lines: [] };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && line.trim() === fenceMatch[1]) fence = null;
      current.lines.push(line);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      current.lines.push(line);
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
    if (atx) {
      open(atx[1]!.length, atx[2] ?? '');
      continue;
    }
    const next = lines[i + 1];
    if (next !== undefined && line.trim() && !/^ {0,3}([-*_>]|\d+\.|\|)/.test(line)) {
      const setext = /^ {0,3}(=+|-+)[ \t]*$/.exec(next);
      const prevBlank = current.lines.length === 0 || current.lines[current.lines.length - 1]!.trim() === '';
      if (setext && prevBlank) {
        open(setext[1]![0] === '=' ? 1 : 2, line.trim());
        i++;
        continue;
      }
    }
    current.lines.push(line);
  }
  flush();
  const base = fileName.replace(/^.*\//, '').replace(/\.(md|markdown)$/i, '');
  const title = (typeof data['title'] === 'string' && data['title'].trim()) || firstH1 || base.replace(/[-_]+/g, ' ');
  return { title, tags: list(data['tags']), aliases: list(data['aliases']), sections };
}
