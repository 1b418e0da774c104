export {
  collectExport,
  hms,
  clock,
  vodLink,
  streamVodLink,
  questionVod,
  answerVod,
  chapterBase,
  type BacklogDraft,
  type BacklogDraftItem,
  type ExportData,
  type ExportExtras,
  type ExportLink,
  type ExportQuestion,
  type ExportTopic,
} from './data.js';
export { toMarkdown, escapeMarkdown } from './markdown.js';
export { backlogToMarkdown } from './backlog-markdown.js';
export { toCsv, csvCell, neutralise, askerLabel, CSV_COLUMNS, BOM } from './csv.js';
export { toJson } from './json.js';
export { toChapters, CHAPTER_RULES, type Chapters } from './chapters.js';

import type { ExportData } from './data.js';
import { toMarkdown } from './markdown.js';
import { toCsv } from './csv.js';
import { toJson } from './json.js';
import { toChapters } from './chapters.js';

export { exportFromDatabase, type StreamSelector } from './exporter.js';
export type ExportFormat = 'md' | 'csv' | 'json' | 'chapters';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'csv', 'json', 'chapters'];
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { md: 'md', csv: 'csv', json: 'json', chapters: 'chapters.txt' };

export function render(format: ExportFormat, data: ExportData): { text: string; warnings: readonly string[] } {
  switch (format) {
    case 'md':
      return { text: toMarkdown(data), warnings: [] };
    case 'csv':
      return { text: toCsv(data), warnings: [] };
    case 'json':
      return { text: toJson(data), warnings: [] };
    case 'chapters':
      return toChapters(data);
  }
}
