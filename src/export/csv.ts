import { questionVod, shown, sortedByScore, type ExportData } from './data.js';

/** Cells starting with these are formulas to a spreadsheet. */
const FORMULA = /^[=+\-@\t\r]/;

/** One RFC 4180 cell, neutralised against formula injection with a leading apostrophe. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = ['id', 'text', 'state', 'score', 'asker_count', 'votes', 'paid', 'platforms', 'topic', 'offset_seconds', 'vod_link', 'asked_at', 'source', 'askers'] as const;

export function toCsv(data: ExportData): string {
  const rows = sortedByScore(shown(data.questions)).map((q) => [
    q.id,
    q.text,
    q.state,
    q.score,
    q.askerCount,
    q.votes,
    q.paid?.display ?? '',
    q.platforms.join(' '),
    q.topic,
    q.offsetSeconds,
    questionVod(data, q),
    q.askedAt,
    q.source,
    q.askers.map((a) => `${a.name} (${a.platform})`).join('; '),
  ]);
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
