import { cleanChatText, hasVisibleText, isModeratorOrAbove, type ChatEvent, type Clock } from '../core/index.js';
import { questionScore, type QuestionRow, type QuestionsRepo, type QuestionSource, type QuestionState, type StreamRow } from '../store/index.js';
import type { TopicTracker } from '../topics/index.js';
import { keywordList, SIMILARITY_THRESHOLD } from './similarity.js';
import { OpenQuestions } from './open-index.js';

export type AskResult =
  | { readonly kind: 'created' | 'merged' | 'repeat'; readonly question: QuestionRow }
  | { readonly kind: 'refused'; readonly reason: 'empty' | 'too-long' | 'too-many' };

export type VoteResult = { readonly kind: 'voted' | 'again' | 'own' | 'closed'; readonly question: QuestionRow } | { readonly kind: 'missing' };

export type QuestionChange = 'created' | 'merged' | 'voted' | 'state' | 'highlight' | 'removed' | 'unasked' | 'unvoted';

export interface QuestionLogOptions {
  readonly repo: QuestionsRepo;
  readonly stream: () => StreamRow;
  readonly topics?: TopicTracker;
  readonly clock: Clock;
  readonly maxLength: number;
  readonly threshold?: number;
  /**
   * At most `count` new questions per viewer in `windowMs` (merges into an existing question do
   * not count; moderators are exempt). A count of 0 turns the cap off.
   */
  readonly perViewer?: { readonly count: number; readonly windowMs: number };
  readonly onChange?: (question: QuestionRow, change: QuestionChange) => void;
}

/** A question's score (the store defines it, so that exports rank as the bot does). */
export const score = questionScore;

/** Orders questions best first: score, then the earlier one. */
export const byScore = (a: QuestionRow, b: QuestionRow) => score(b) - score(a) || a.number - b.number;

/**
 * The question log of the current stream: capture (every question is committed to SQLite before
 * this returns, so before any acknowledgement), near-duplicate merging across platforms, votes
 * and states. Open questions' keywords are kept in memory for matching.
 */
export class QuestionLog {
  private index: OpenQuestions | undefined;
  private indexStream = -1;
  /** When each viewer's recent questions were created, for the per-viewer cap. */
  private readonly recentByViewer = new Map<string, number[]>();

  constructor(private opts: QuestionLogOptions) {}

  /** A config reload: the length bound and the per-viewer cap apply to the next question. */
  configure(limits: Pick<QuestionLogOptions, 'maxLength' | 'perViewer'>): void {
    this.opts = { ...this.opts, maxLength: limits.maxLength, perViewer: limits.perViewer };
  }

  /** The stream's open questions, indexed for matching (built from the store once per stream). */
  private open(): OpenQuestions {
    const streamId = this.opts.stream().id;
    if (!this.index || this.indexStream !== streamId) {
      this.index = new OpenQuestions(this.opts.threshold ?? SIMILARITY_THRESHOLD);
      for (const q of this.opts.repo.open(streamId)) this.index.add(q.id, q.text);
      this.indexStream = streamId;
      this.recentByViewer.clear();
    }
    return this.index;
  }

  /** True when this viewer may add one more question now (and counts it). */
  private withinCap(event: ChatEvent, now: number): boolean {
    const cap = this.opts.perViewer;
    if (!cap || cap.count <= 0 || isModeratorOrAbove(event.author.roles)) return true;
    const key = `${event.platform}:${event.author.id}`;
    const times = (this.recentByViewer.get(key) ?? []).filter((t) => t > now - cap.windowMs);
    if (times.length >= cap.count) {
      this.recentByViewer.set(key, times);
      return false;
    }
    times.push(now);
    this.recentByViewer.set(key, times);
    if (this.recentByViewer.size > 50_000) for (const k of [...this.recentByViewer.keys()].slice(0, 10_000)) this.recentByViewer.delete(k);
    return true;
  }

  ask(event: ChatEvent, rawText: string, source: QuestionSource): AskResult {
    const text = cleanChatText(rawText).text;
    // Blank fillers (U+3164, U+2800...) look like text to a parser and like nothing to a person.
    if (!text || !hasVisibleText(text)) return { kind: 'refused', reason: 'empty' };
    if ([...text].length > this.opts.maxLength) return { kind: 'refused', reason: 'too-long' };
    const repo = this.opts.repo;
    const now = this.opts.clock.now();
    const paid = event.paid ? { platform: event.platform, ...event.paid } : null;
    // Compounds written apart or together ("multi head" / multihead) spelt as the open questions spell them.
    const words = this.open().harmonize(keywordList(text));
    const similar = this.open().findSimilar(text, words);
    if (similar !== undefined) {
      const added = repo.addAsker(similar, {
        platform: event.platform,
        authorId: event.author.id,
        authorName: event.author.displayName,
        askedAt: now,
        messageId: event.id,
        paid,
      });
      const question = repo.get(similar)!;
      if (added) this.opts.onChange?.(question, 'merged');
      return { kind: added ? 'merged' : 'repeat', question };
    }
    if (!this.withinCap(event, now)) return { kind: 'refused', reason: 'too-many' };
    const stream = this.opts.stream();
    const question = repo.create({
      streamId: stream.id,
      platform: event.platform,
      authorId: event.author.id,
      authorName: event.author.displayName,
      text,
      createdAt: now,
      offsetSeconds: Math.max(0, Math.floor((now - stream.startedAt) / 1000)),
      topicId: this.opts.topics?.current()?.id ?? null,
      source,
      messageId: event.id,
      paid,
    });
    this.open().add(question.id, text, words);
    this.opts.onChange?.(question, 'created');
    return { kind: 'created', question };
  }

  /** How many questions of this stream are open now (the index holds exactly those). */
  openCount(): number {
    return this.open().size;
  }

  get(number: number): QuestionRow | undefined {
    return this.opts.repo.byNumber(this.opts.stream().id, number);
  }

  vote(event: ChatEvent, number: number): VoteResult {
    const repo = this.opts.repo;
    const q = this.get(number);
    if (!q) return { kind: 'missing' };
    if (q.state !== 'open') return { kind: 'closed', question: q };
    if (repo.isAsker(q.id, event.platform, event.author.id)) return { kind: 'own', question: q };
    if (!repo.vote(q.id, event.platform, event.author.id, this.opts.clock.now())) return { kind: 'again', question: q };
    const question = repo.get(q.id)!;
    this.opts.onChange?.(question, 'voted');
    return { kind: 'voted', question };
  }

  /**
   * Moves a question to another state. A `removed` question (moderation took it) only comes back
   * through an explicit restore; answering or dismissing it is refused (undefined).
   */
  setState(number: number, state: QuestionState, opts: { restore?: boolean } = {}): QuestionRow | undefined {
    const q = this.get(number);
    if (!q || (q.state === 'removed' && !opts.restore)) return undefined;
    return this.changeState(q, state, 'state');
  }

  private changeState(q: QuestionRow, state: QuestionState, change: QuestionChange): QuestionRow {
    if (q.state !== state) {
      this.opts.repo.setState(q.id, state, this.opts.clock.now());
      if (state === 'open') this.open().add(q.id, q.text);
      else this.open().remove(q.id);
      if (q.highlighted && state !== 'open') this.opts.repo.highlight(q.streamId, null, this.opts.clock.now());
    }
    const question = this.opts.repo.get(q.id)!;
    this.opts.onChange?.(question, change);
    return question;
  }

  /**
   * A moderator deleted a message (or YouTube replaced it with a tombstone): the viewer who asked
   * with it is no longer an asker, and a question nobody asks any more is removed. Written to
   * SQLite before anyone is told. Returns the question it touched.
   */
  removeMessage(platform: string, messageId: string): QuestionRow | undefined {
    const asker = this.opts.repo.askerByMessage(this.opts.stream().id, platform, messageId);
    return asker ? this.unask(asker.questionId, platform, asker.authorId) : undefined;
  }

  /**
   * A viewer was banned or timed out: their questions of this stream are taken as above, and their
   * votes withdrawn. Returns every question that changed.
   */
  removeViewer(platform: string, authorId: string): QuestionRow[] {
    const repo = this.opts.repo;
    const streamId = this.opts.stream().id;
    const changed = new Map<number, QuestionRow>();
    for (const id of repo.askedBy(streamId, platform, authorId)) {
      const q = this.unask(id, platform, authorId);
      if (q) changed.set(q.id, q);
    }
    for (const id of repo.withdrawVotes(streamId, platform, authorId)) {
      const q = repo.get(id)!;
      if (!changed.has(id)) this.opts.onChange?.(q, 'unvoted');
      changed.set(id, q);
    }
    return [...changed.values()];
  }

  private unask(questionId: number, platform: string, authorId: string): QuestionRow | undefined {
    const repo = this.opts.repo;
    const left = repo.removeAsker(questionId, platform, authorId);
    if (left < 0) return undefined;
    const q = repo.get(questionId)!;
    if (left === 0) return this.changeState(q, 'removed', 'removed');
    this.opts.onChange?.(q, 'unasked');
    return q;
  }

  /**
   * A viewer was forgotten: the store erased their questions (`deleted`) in every stream; those of
   * this stream leave the index of open questions, and the viewer's recent questions are not counted.
   */
  forgotten(platform: string, authorId: string | null, deleted: ReadonlyArray<{ readonly id: number }>): void {
    for (const q of deleted) this.index?.remove(q.id);
    if (authorId !== null) this.recentByViewer.delete(`${platform}:${authorId}`);
  }

  /** Puts a question on the overlay (or clears it with null). */
  highlight(number: number | null): QuestionRow | undefined {
    const streamId = this.opts.stream().id;
    const q = number === null ? undefined : this.get(number);
    if (number !== null && !q) return undefined;
    this.opts.repo.highlight(streamId, q?.id ?? null, this.opts.clock.now());
    const question = q ? this.opts.repo.get(q.id)! : undefined;
    if (question) this.opts.onChange?.(question, 'highlight');
    return question;
  }

  top(n: number): QuestionRow[] {
    return this.opts.repo.open(this.opts.stream().id).sort(byScore).slice(0, n);
  }

  all(): QuestionRow[] {
    return this.opts.repo.list(this.opts.stream().id);
  }
}
