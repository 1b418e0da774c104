import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KnowledgeDoc } from './documents.js';
import { parseNote } from './markdown.js';

export interface NotesFolder {
  readonly dir: string;
  readonly baseUrl: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** A glob (`**`, `*`, `?`) as a regular expression over a relative, `/`-separated path. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function makeFilter(folder: NotesFolder): (rel: string) => boolean {
  const include = (folder.include?.length ? folder.include : ['**/*.md', '**/*.markdown']).map(globToRegExp);
  const exclude = (folder.exclude ?? []).map(globToRegExp);
  return (rel) => include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel));
}

/** All markdown files of a folder that pass include/exclude, as `/`-separated relative paths. */
export function listNotes(folder: NotesFolder): string[] {
  const keep = makeFilter(folder);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else {
        const rel = relative(folder.dir, full).split(sep).join('/');
        if (keep(rel)) out.push(rel);
      }
    }
  };
  walk(folder.dir);
  return out.sort();
}

/** A note's link: baseUrl + path (each segment URL-encoded) + `#anchor`. */
export function noteUrl(baseUrl: string, rel: string, anchor: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const path = rel.split('/').map(encodeURIComponent).join('/');
  return `${base}${path}${anchor ? `#${anchor}` : ''}`;
}

/** The documents (one per section) of one note file. */
export function noteDocuments(folder: NotesFolder, rel: string, text = readFileSync(join(folder.dir, rel), 'utf8')): KnowledgeDoc[] {
  const note = parseNote(text, rel);
  const group = `notes:${folder.dir}:${rel}`;
  return note.sections.map((s, i) => ({
    id: `${group}#${i}`,
    kind: 'section' as const,
    source: 'notes' as const,
    group,
    title: s.heading && s.heading !== note.title ? `${note.title} › ${s.heading}` : note.title,
    noteTitle: note.title,
    heading: s.heading,
    parents: s.parents,
    tags: [...note.tags, ...note.aliases],
    body: s.body,
    url: noteUrl(folder.baseUrl, rel, s.anchor),
  }));
}
