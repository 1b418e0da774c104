import type { CommandContext, CommandDefinition } from '../commands/index.js';
import type { SearchResult } from './documents.js';
import type { KnowledgeBase } from './knowledge-base.js';

export interface KnowledgeCommandDeps {
  readonly knowledge: KnowledgeBase;
  /** The current topic, if any: the default query and a ranking hint. */
  readonly topic: () => string | undefined;
}

const NOTHING = 'Nothing in the notes matches that.';
const NOTHING_ANYWHERE = 'Nothing in the notes, articles or links matches that.';
/** An answer must match at least half of the viewer's words. */
const MIN_MATCH = 0.5;

/** "title → url", shortened so it fits; a URL is never cut. */
function entry(r: SearchResult, room: number): string | undefined {
  const arrow = ' → ';
  if (r.url.length + arrow.length + 3 > room) return room >= r.url.length ? r.url : undefined;
  const maxTitle = room - r.url.length - arrow.length;
  const title = [...r.title].length > maxTitle ? `${[...r.title].slice(0, Math.max(1, maxTitle - 1)).join('')}…` : r.title;
  return `${title}${arrow}${r.url}`;
}

function answer(ctx: CommandContext, results: SearchResult[], none: string, count = 1): void {
  const room = ctx.maxLength;
  const parts: string[] = [];
  let used = 0;
  for (const r of results) {
    if (parts.length >= count) break;
    const sep = parts.length ? 3 : 0;
    const e = entry(r, room - used - sep);
    if (!e) break;
    parts.push(e);
    used += sep + [...e].length;
  }
  ctx.reply(parts.length ? parts.join(' · ') : none);
}

/** The query: the viewer's words, or the current topic when there are none. */
function query(ctx: CommandContext, deps: KnowledgeCommandDeps): string | undefined {
  return ctx.argText.trim() || deps.topic();
}

/** `!notes [words]`: the best note section (no words: for the current topic). */
export function notesCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'notes',
    aliases: ['note'],
    description: "a link into the streamer's notes for some words, or for the current topic",
    usage: 'notes [words]',
    userCooldownMs: 10_000,
    run(ctx) {
      const q = query(ctx, deps);
      if (!q) return ctx.reply(`No topic yet: try ${ctx.prefix}notes <words>`);
      answer(ctx, deps.knowledge.search(q, { limit: 1, kinds: ['section'], minMatch: MIN_MATCH, topic: deps.topic() }), NOTHING);
    },
  };
}

/** `!article [words]` / `!blog`: the best article (no words: for the topic, else the newest). */
export function articleCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'article',
    aliases: ['blog'],
    description: "a link to one of the streamer's articles",
    usage: 'article [words]',
    userCooldownMs: 10_000,
    run(ctx) {
      const q = query(ctx, deps);
      const found = q ? deps.knowledge.search(q, { limit: 1, kinds: ['article'], minMatch: MIN_MATCH }) : [];
      const latest = deps.knowledge.latestArticle();
      const results = found.length ? found : !ctx.argText.trim() && latest ? [latest] : [];
      answer(ctx, results, 'No article matches that.');
    },
  };
}

/** `!links [words]`: the top three across notes, articles and links, in one message. */
export function linksCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'links',
    description: 'the three best links across notes, articles and links',
    usage: 'links [words]',
    userCooldownMs: 15_000,
    run(ctx) {
      const q = query(ctx, deps);
      if (!q) return ctx.reply(`No topic yet: try ${ctx.prefix}links <words>`);
      answer(ctx, deps.knowledge.search(q, { limit: 3, minMatch: MIN_MATCH, topic: deps.topic() }), NOTHING_ANYWHERE, 3);
    },
  };
}
