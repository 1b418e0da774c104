import { answerVod, questionVod, shown, sortedByScore, type ExportData, type ExportQuestion } from './data.js';

/** Text starting with these (after spaces, which some spreadsheets trim) is a formula. */
const FORMULA = /^ *[=+\-@\t\r]/;

/**
 * A text made inert for spreadsheets: a leading apostrophe before a formula start, at the start
 * and after every `;` or tab inside it (a spreadsheet set to `;` as separator splits there). Text
 * after a `,` is left alone, so "1e-3, -5" stays readable.
 */
export function neutralise(text: string): string {
  return text
    .split(/(?<=[;\t])/)
    .map((part) => (FORMULA.test(part) ? `'${part}` : part))
    .join('');
}

/** One RFC 4180 cell: always quoted, and neutralised against formula injection. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  const s = typeof value === 'number' ? String(value) : neutralise(value === null || value === undefined ? '' : String(value));
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * A byte-order mark first: without it Excel reads a CSV in the system's legacy code page and
 * "Ünïcödé" comes out as "ÃœnÃ¯cÃ¶dÃ©"; with it Excel reads the file as UTF-8, accents, emoji and
 * all. Other tools (csv-parse with `bom: true`, LibreOffice, Google Sheets) skip it.
 */
export const BOM = '\uFEFF';

/** The columns in order; columns added later go at the end, so a sheet that picks by position keeps working. */
export const CSV_COLUMNS = [
  'id',
  'text',
  'state',
  'score',
  'asker_count',
  'votes',
  'paid',
  'platforms',
  'topic',
  'offset_seconds',
  'vod_link',
  'asked_at',
  'source',
  'askers',
  'state_at',
  'note_title',
  'note_url',
  'answered_by_url',
  'answer_vod_link',
] as const;

/**
 * One asker as `name (platform)`. A YouTube handle's leading `@` is dropped and said in words
 * ("@MariaCodes" becomes "MariaCodes (youtube handle)"): left in, it starts a formula, and the
 * guard would show the cell as "'@MariaCodes (youtube)". The guard still applies to what is left.
 */
export function askerLabel(a: ExportQuestion['askers'][number]): string {
  return a.name.startsWith('@') ? `${a.name.slice(1)} (${a.platform} handle)` : `${a.name} (${a.platform})`;
}

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
    q.askers.map(askerLabel).join('; '),
    q.stateAt ?? '',
    q.note?.title ?? '',
    q.note?.url ?? '',
    q.answeredBy?.url ?? '',
    answerVod(data, q) ?? '',
  ]);
  return BOM + [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
