/**
 * Variables in a command's or a timer's text. Each comes from the bot's own state, never from what
 * a viewer typed: `{user}` the caller's address (`addressOf`), `{count}` how often the command was
 * used, `{uptime}` time since the stream session began, `{topic}` the current topic, `{notes}` the
 * current topic's note link, `{random a|b|c}` one of the given words.
 */
export const VARIABLES = ['user', 'count', 'uptime', 'topic', 'notes', 'random'] as const;

export interface TemplateValues {
  readonly user: string;
  /** Called only when the text uses it. */
  readonly count: () => number;
  readonly uptime: () => string;
  readonly topic: () => string;
  readonly notes: () => string;
  /** In [0, 1). */
  readonly random: () => number;
}

const PLACEHOLDER = /\{([^{}]{0,300})\}/g;
const SIMPLE = new Set<string>(['user', 'count', 'uptime', 'topic', 'notes']);

function randomChoices(inner: string): string[] | undefined {
  const m = /^random\s+(.+)$/s.exec(inner.trim());
  if (!m) return undefined;
  return m[1]!.split('|').map((c) => c.trim());
}

/** A variable opened and never closed: `{user` or `{random a|b` at the end, or before another `{`. */
const UNCLOSED = new RegExp(`\\{\\s*(${VARIABLES.join('|')})\\b[^{}]*(?=\\{|$)`);

/** What is wrong with a text's variables, in words for a moderator, or undefined when all are known. */
export function templateProblem(text: string, opts: { allowUser?: boolean } = {}): string | undefined {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1]!.trim();
    if (SIMPLE.has(inner)) {
      if (inner === 'user' && opts.allowUser === false) return 'a timer speaks to everyone, so {user} has nobody to name';
      continue;
    }
    if (inner === 'random' || inner.startsWith('random ')) {
      const choices = randomChoices(inner) ?? [];
      if (choices.length === 0 || choices.every((c) => c === '')) return 'write {random a|b|c} with the choices after "random"';
      if (choices.includes('')) return 'a choice of {random …} is empty: write {random a|b|c} with a word between each |';
      continue;
    }
    // The moderator's own word is named only when it is a plain word (never an arbitrary text).
    const shown = /^[A-Za-z_]{1,20}$/.test(inner) ? `{${inner}} is not a variable` : 'there is an unknown variable';
    return `${shown}; use {user} {count} {uptime} {topic} {notes} or {random a|b}`;
  }
  const open = UNCLOSED.exec(text);
  if (open) return `{${open[1]} is not closed: end it with }`;
  return undefined;
}

/** The text with its variables replaced (unknown ones are left as written; `templateProblem` refuses them first). */
export function expand(text: string, v: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, raw: string) => {
    const inner = raw.trim();
    switch (inner) {
      case 'user':
        return v.user;
      case 'count':
        return String(v.count());
      case 'uptime':
        return v.uptime();
      case 'topic':
        return v.topic();
      case 'notes':
        return v.notes();
    }
    const choices = randomChoices(inner);
    if (choices?.length) return choices[Math.min(choices.length - 1, Math.floor(v.random() * choices.length))]!;
    return whole;
  });
}

/** Whether a text uses `{count}` (a timer's or command's counter is read only then). */
export const usesVariable = (text: string, name: (typeof VARIABLES)[number]): boolean =>
  [...text.matchAll(PLACEHOLDER)].some((m) => m[1]!.trim() === name || (name === 'random' && m[1]!.trim().startsWith('random ')));

/** `1 h 23 min`, `12 min`, `40 s`: how long something has run. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}
