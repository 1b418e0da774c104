import { questionVod, shown, sortedByScore, type ExportData } from './data.js';

/** Text starting with these (after spaces, which some spreadsheets trim) is a formula. */
const FORMULA = /^ *[=+\-@\t\r]/;

/**
 * A text made inert for spreadsheets: a leading apostrophe before a formula start, at the start
 * and after every `;` or tab inside it (a spreadsheet set to `;` as separator splits there). Text
 * after a `,` is left alone, so "1e-3, -5" stays readable.
 */
export function neutralise(text: string): string {
  return text.split(/(?<=[;\t])/).map((part) => (FORMULA.test(part) ? `'${part}` : part)).join('');
}

/** One RFC 4180 cell: always quoted, and neutralised against formula injection. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  const s = typeof value === 'number' ? String(value) : neutralise(value === null || value === undefined ? '' : String(value));
  return `"${s.replace(/"/g, '""')}"`;
}

/** A byte-order mark first: Excel then reads the file as UTF-8, accents and all. */
export const BOM = '\uFEFF';

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
  return BOM + [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
