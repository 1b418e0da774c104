import { chapterBase, clock, type ExportData } from './data.js';

/** YouTube's rules for chapters in a description. */
export const CHAPTER_RULES = { minChapters: 3, minSeconds: 10 } as const;

export interface Chapters {
  readonly text: string;
  readonly warnings: readonly string[];
}

/**
 * YouTube chapter lines from the topic timeline: the first at 00:00, ascending, each at least
 * 10 s (a shorter topic is merged into the one before it), and a warning when fewer than three
 * remain (YouTube then shows none).
 */
export function toChapters(data: ExportData): Chapters {
  const warnings: string[] = [];
  const chapters: Array<{ start: number; end: number; title: string }> = [];
  // Chapter times are times in the YouTube video, which may have started before the bot did.
  const shift = Math.floor((data.stream.startedAt - chapterBase(data)) / 1000);
  for (const t of data.topics) {
    const last = chapters[chapters.length - 1];
    const start = Math.max(0, t.startOffsetSeconds + shift);
    const end = Math.max(0, t.endOffsetSeconds + shift);
    if (last && t.title === last.title) {
      last.end = end;
      continue;
    }
    chapters.push({ start, end, title: t.title });
  }
  if (chapters.length === 0 || chapters[0]!.start > 0) {
    if (chapters.length && chapters[0]!.start < CHAPTER_RULES.minSeconds) chapters[0]!.start = 0;
    else chapters.unshift({ start: 0, end: chapters[0]?.start ?? 0, title: 'Intro' });
  }
  // Merge chapters shorter than the minimum into the previous one (the first into the next).
  for (let i = 0; i < chapters.length;) {
    const c = chapters[i]!;
    if (c.end - c.start >= CHAPTER_RULES.minSeconds || chapters.length === 1) {
      i++;
      continue;
    }
    if (i === 0) {
      chapters[1]!.start = 0;
      chapters.splice(0, 1);
    } else {
      chapters[i - 1]!.end = c.end;
      chapters.splice(i, 1);
    }
  }
  if (chapters.length < CHAPTER_RULES.minChapters) {
    warnings.push(
      `only ${chapters.length} chapter${chapters.length === 1 ? '' : 's'} of at least ${CHAPTER_RULES.minSeconds} s: YouTube shows chapters only when there are ${CHAPTER_RULES.minChapters} or more`,
    );
  }
  const withHours = chapters.some((c) => c.start >= 3600);
  const lines = chapters.map((c, i) => `${i === 0 ? (withHours ? '0:00:00' : '00:00') : clock(c.start, withHours)} ${c.title.replace(/[\r\n]+/g, ' ')}`);
  // The Twitch markers are a separate list: their times are positions in the Twitch VOD.
  const markers = data.markers.length
    ? `\nTwitch markers:\n${data.markers.map((m) => `${clock(m.positionSeconds, true)} ${m.description.replace(/[\r\n]+/g, ' ')}`).join('\n')}\n`
    : '';
  return { text: `${lines.join('\n')}\n${markers}`, warnings };
}
