import { questionScore, type QuestionState, type Store } from '../store/index.js';

/** A payment with a question, as the platform stated it (never converted or summed). */
export interface ExportPaid {
  readonly platform: string;
  readonly amount: number;
  /** ISO 4217 code, or `bits`. */
  readonly currency: string;
  readonly display: string;
}

/** Everything an export needs, read once from the store; the formatters are pure functions of it. */
export interface ExportData {
  readonly generatedAt: number;
  readonly stream: { readonly id: number; readonly startedAt: number; readonly endedAt: number | null; readonly lastSeenAt: number };
  readonly topics: readonly ExportTopic[];
  readonly questions: readonly ExportQuestion[];
  /** Twitch stream markers created on topic changes: position in the VOD and text. */
  readonly markers: ReadonlyArray<{ readonly positionSeconds: number; readonly description: string }>;
  readonly vodUrl: { readonly youtube?: string; readonly twitch?: string };
  /** Each platform's recording of this stream, when it told: a VOD link template and its start. */
  readonly recordings: ReadonlyArray<{
    readonly platform: string;
    readonly vodUrl: string | null;
    readonly startedAt: number | null;
    readonly title: string | null;
  }>;
}

export interface ExportTopic {
  readonly id: number;
  readonly title: string;
  readonly source: string;
  readonly startedAt: number;
  readonly startOffsetSeconds: number;
  /** Start of the next topic, or the end of the stream. */
  readonly endOffsetSeconds: number;
}

export interface ExportQuestion {
  /** The number viewers saw in chat (#12). */
  readonly id: number;
  readonly text: string;
  readonly state: QuestionState;
  readonly source: 'command' | 'detected';
  readonly askerCount: number;
  readonly votes: number;
  readonly score: number;
  readonly platforms: readonly string[];
  readonly topic: string | null;
  readonly topicId: number | null;
  readonly offsetSeconds: number;
  readonly askedAt: string;
  readonly highlighted: boolean;
  readonly paid: ExportPaid | null;
  readonly askers: ReadonlyArray<{ readonly platform: string; readonly name: string; readonly askedAt: string }>;
  /** When it was answered or dismissed (ISO), or null while open. */
  readonly stateAt: string | null;
  /** The note section the search matches for the question (what the bot would have linked), when notes are loaded. */
  readonly note: ExportLink | null;
  /** The post that answers it, when one was confirmed (the backlog). */
  readonly answeredBy: ExportLink | null;
}

export interface ExportLink {
  readonly title: string;
  readonly url: string;
}

/** What an export can add beyond the database: the note section for a question, the post that answered it. */
export interface ExportExtras {
  readonly noteFor?: (text: string) => ExportLink | null;
  readonly answeredBy?: (questionId: number) => ExportLink | null;
}

export function collectExport(store: Store, streamId: number, vodUrl: ExportData['vodUrl'], now: number, extras: ExportExtras = {}): ExportData {
  const stream = store.streams.get(streamId);
  if (!stream) throw new Error(`no stream session ${streamId}`);
  const end = stream.endedAt ?? Math.max(stream.lastSeenAt, now);
  const rows = store.topics.timeline(streamId);
  const off = (t: number) => Math.max(0, Math.floor((t - stream.startedAt) / 1000));
  const topics = rows.map((t, i) => ({
    id: t.id,
    title: t.title,
    source: t.source,
    startedAt: t.startedAt,
    startOffsetSeconds: off(t.startedAt),
    endOffsetSeconds: off(rows[i + 1]?.startedAt ?? end),
  }));
  const titles = new Map(topics.map((t) => [t.id, t.title]));
  const questions = store.questions.list(streamId).map((q) => {
    const askers = store.questions.askers(q.id);
    return {
      id: q.number,
      text: q.text,
      state: q.state,
      source: q.source,
      askerCount: q.askerCount,
      votes: q.votes,
      score: questionScore(q),
      platforms: [...new Set(askers.map((a) => a.platform))].sort(),
      topic: q.topicId === null ? null : (titles.get(q.topicId) ?? null),
      topicId: q.topicId,
      offsetSeconds: q.offsetSeconds,
      askedAt: new Date(q.createdAt).toISOString(),
      highlighted: q.highlighted,
      paid: q.paid ? { platform: q.paid.platform, amount: q.paid.amount, currency: q.paid.currency, display: q.paid.display } : null,
      askers: askers.map((a) => ({ platform: a.platform, name: a.authorName, askedAt: new Date(a.askedAt).toISOString() })),
      stateAt: q.stateAt === null ? null : new Date(q.stateAt).toISOString(),
      note: extras.noteFor?.(q.text) ?? null,
      answeredBy: extras.answeredBy?.(q.id) ?? null,
    };
  });
  const markers = store.markers.list(streamId).map((m) => ({ positionSeconds: m.positionSeconds, description: m.description }));
  const recordings = store.streamPlatforms.list(streamId).map((p) => ({ platform: p.platform, vodUrl: p.vodUrl, startedAt: p.startedAt, title: p.title }));
  return {
    generatedAt: now,
    stream: { id: stream.id, startedAt: stream.startedAt, endedAt: stream.endedAt, lastSeenAt: stream.lastSeenAt },
    topics,
    questions,
    markers,
    vodUrl,
    recordings,
  };
}

/** 3723 -> "1h2m3s" (Twitch's ?t= form). */
export function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** 3723 -> "1:02:03", 83 -> "01:23". */
export function clock(seconds: number, withHours = seconds >= 3600): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return withHours ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

const fill = (template: string, seconds: number) => template.replaceAll('{seconds}', String(seconds)).replaceAll('{hms}', hms(seconds));

/**
 * The VOD link for a moment (ms since epoch), on the platform the question came from first: the
 * recording the platform reported (its time counted from the platform's own start, so it lines up
 * with the video), else the configured `stream.vodUrl` template (counted from the session's start).
 */
export function vodLink(data: ExportData, platforms: readonly string[], at: number): string | undefined {
  const order = [...platforms, 'youtube', 'twitch'];
  for (const p of order) {
    const r = data.recordings.find((x) => x.platform === p && x.vodUrl && x.startedAt !== null);
    if (r) return fill(r.vodUrl!, Math.max(0, Math.floor((at - r.startedAt!) / 1000)));
  }
  const templates = data.vodUrl as Record<string, string | undefined>;
  const template = order.map((p) => templates[p]).find(Boolean);
  return template ? fill(template, Math.max(0, Math.floor((at - data.stream.startedAt) / 1000))) : undefined;
}

/** The VOD link for a moment of any stream session (the backlog's questions come from many). */
export function streamVodLink(store: Store, streamId: number, platforms: readonly string[], at: number, vodUrl: ExportData['vodUrl']): string | undefined {
  const stream = store.streams.get(streamId);
  if (!stream) return undefined;
  const recordings = store.streamPlatforms.list(streamId).map((p) => ({ platform: p.platform, vodUrl: p.vodUrl, startedAt: p.startedAt, title: p.title }));
  const data = { stream: { id: stream.id, startedAt: stream.startedAt, endedAt: stream.endedAt, lastSeenAt: stream.lastSeenAt }, recordings, vodUrl } as Pick<
    ExportData,
    'stream' | 'recordings' | 'vodUrl'
  >;
  return vodLink(data as ExportData, platforms, at);
}

/** A question's VOD link, at the moment it was asked. */
export const questionVod = (data: ExportData, q: ExportQuestion): string | undefined => vodLink(data, q.platforms, Date.parse(q.askedAt));

/** Where the VOD shows the answer: the moment a question answered live was marked answered. */
export const answerVod = (data: ExportData, q: ExportQuestion): string | undefined =>
  q.state === 'answered' && q.stateAt && !q.answeredBy ? vodLink(data, q.platforms, Date.parse(q.stateAt)) : undefined;

/** Where YouTube chapters count from: the YouTube video's own start when known. */
export function chapterBase(data: ExportData): number {
  return data.recordings.find((r) => r.platform === 'youtube' && r.startedAt !== null)?.startedAt ?? data.stream.startedAt;
}

export const sortedByScore = (qs: readonly ExportQuestion[]) => [...qs].sort((a, b) => b.score - a.score || a.id - b.id);

/** What the blog draft, the CSV and the chapters show: questions moderation removed are left out. */
export const shown = (qs: readonly ExportQuestion[]) => qs.filter((q) => q.state !== 'removed');

/** A draft over the backlog (`lectern export --format md --topic T`): unanswered questions across streams. */
export interface BacklogDraft {
  readonly generatedAt: number;
  /** The topic the draft is about, or null for every topic. */
  readonly topic: string | null;
  /** Best first. */
  readonly items: readonly BacklogDraftItem[];
  /** How many different viewers asked them (one who asked several items counts once). */
  readonly viewers: number;
}

export interface BacklogDraftItem {
  /** The backlog item's number (what `lectern answer` and the dashboard use). */
  readonly id: number;
  readonly text: string;
  readonly score: number;
  readonly askerCount: number;
  readonly votes: number;
  /** Payments as the platforms stated them (never converted or summed across currencies). */
  readonly paid: readonly string[];
  readonly topics: readonly string[];
  readonly note: ExportLink | null;
  readonly answeredBy: ExportLink | null;
  /** Each time it was asked: the stream, its question number there, when, and the VOD link. */
  readonly asked: ReadonlyArray<{ readonly streamId: number; readonly number: number; readonly askedAt: string; readonly vodLink: string | null }>;
}
