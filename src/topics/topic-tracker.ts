import { cleanChatText, type Clock } from '../core/index.js';
import type { TopicRow, TopicSource, TopicsRepo } from '../store/index.js';

export const MAX_TOPIC_LENGTH = 100;

export interface TopicTrackerOptions {
  readonly repo: TopicsRepo;
  /** The current stream session (it changes when a new broadcast begins). */
  readonly streamId: () => number;
  readonly clock: Clock;
  readonly onChange?: (topic: TopicRow) => void;
}

/** The topic being explained right now, and the timeline of the stream's topics. */
export class TopicTracker {
  private cached: TopicRow | undefined | null = null;

  constructor(private readonly opts: TopicTrackerOptions) {}

  current(): TopicRow | undefined {
    if (this.cached === null) this.cached = this.opts.repo.current(this.opts.streamId());
    return this.cached;
  }

  timeline(): TopicRow[] {
    return this.opts.repo.timeline(this.opts.streamId());
  }

  /** Sets the topic; returns undefined when the text is empty or already the current topic. */
  set(rawTitle: string, source: TopicSource, setBy: string | null = null): TopicRow | undefined {
    const title = cleanChatText(rawTitle, MAX_TOPIC_LENGTH).text;
    if (!title || title === this.current()?.title) return undefined;
    const row = this.opts.repo.add(this.opts.streamId(), title, source, this.opts.clock.now(), setBy);
    this.cached = row;
    this.opts.onChange?.(row);
    return row;
  }

  /** Forget the cached current topic (a new stream session began). */
  reset(): void {
    this.cached = null;
  }
}
