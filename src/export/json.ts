import { answerVod, questionVod, type ExportData } from './data.js';

/**
 * Everything, for other tools, removed questions included (state `removed`), for the record.
 * The schema is documented in docs/questions.md ("JSON"). Version 2 added `paid` and `removed`;
 * version 3 added to each question `stateAt` (when it was answered or dismissed), `note` (the
 * note section matched for it), `answeredBy` (the post that answers it) and `answerVodLink`
 * (the VOD at the moment it was answered live), each null when unknown.
 */
export function toJson(data: ExportData): string {
  return `${JSON.stringify(
    {
      schemaVersion: 3,
      generatedAt: new Date(data.generatedAt).toISOString(),
      stream: {
        id: data.stream.id,
        startedAt: new Date(data.stream.startedAt).toISOString(),
        endedAt: data.stream.endedAt === null ? null : new Date(data.stream.endedAt).toISOString(),
      },
      topics: data.topics.map((t) => ({
        id: t.id,
        title: t.title,
        source: t.source,
        startOffsetSeconds: t.startOffsetSeconds,
        endOffsetSeconds: t.endOffsetSeconds,
      })),
      questions: data.questions.map((q) => ({ ...q, vodLink: questionVod(data, q) ?? null, answerVodLink: answerVod(data, q) ?? null })),
      markers: data.markers,
    },
    null,
    2,
  )}\n`;
}
