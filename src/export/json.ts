import { questionVod, type ExportData } from './data.js';

/**
 * Everything, for other tools, removed questions included (state `removed`), for the record.
 * The schema is documented in the README ("JSON export"). Version 2 added `paid` and `removed`.
 */
export function toJson(data: ExportData): string {
  return `${JSON.stringify(
    {
      schemaVersion: 2,
      generatedAt: new Date(data.generatedAt).toISOString(),
      stream: {
        id: data.stream.id,
        startedAt: new Date(data.stream.startedAt).toISOString(),
        endedAt: data.stream.endedAt === null ? null : new Date(data.stream.endedAt).toISOString(),
      },
      topics: data.topics.map((t) => ({ id: t.id, title: t.title, source: t.source, startOffsetSeconds: t.startOffsetSeconds, endOffsetSeconds: t.endOffsetSeconds })),
      questions: data.questions.map((q) => ({ ...q, vodLink: questionVod(data, q) ?? null })),
      markers: data.markers,
    },
    null,
    2,
  )}\n`;
}
