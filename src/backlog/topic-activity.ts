import type { ChatEvent, Clock, Guard, TimerHandle } from '../core/index.js';
import type { EngagementRepo, TopicRow } from '../store/index.js';
import { topicKey } from '../topics/index.js';

const FLUSH_MS = 30_000;

/**
 * Counts chat while each topic runs: lines, and chatters seen for the first time under it. A topic
 * that comes back in the same stream (the same title, as `topicKey` compares them) remembers who
 * it has seen, so a viewer counts once per topic per stream. Kept in memory and written every
 * 30 s, on a topic change and at shutdown (a crash loses at most 30 s). A restart during a topic
 * counts a returning chatter again.
 */
export class TopicActivity {
  private topicId: number | undefined;
  private lines = 0;
  private newChatters = 0;
  private seen = new Set<string>();
  /** Who each topic of the current stream has seen, by its key. */
  private seenByTopic = new Map<string, Set<string>>();
  private streamId: number | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly opts: { readonly repo: EngagementRepo; readonly topic: () => TopicRow | undefined; readonly clock: Clock; readonly guard: Guard },
  ) {}

  start(): void {
    this.timer = this.opts.clock.setTimeout(
      this.opts.guard('topics.activity', () => {
        this.flush();
        this.start();
      }),
      FLUSH_MS,
    );
  }

  onChat(event: ChatEvent): void {
    if (event.kind !== 'message' && event.kind !== 'paid-message') return;
    const topic = this.opts.topic();
    if (!topic) return;
    if (topic.id !== this.topicId) {
      this.flush();
      this.topicId = topic.id;
      if (topic.streamId !== this.streamId) {
        this.streamId = topic.streamId;
        this.seenByTopic = new Map();
      }
      const key = topicKey(topic.title) || topic.title;
      this.seen = this.seenByTopic.get(key) ?? new Set();
      this.seenByTopic.set(key, this.seen);
    }
    this.lines++;
    const who = `${event.platform}:${event.author.id}`;
    if (!this.seen.has(who)) {
      this.seen.add(who);
      this.newChatters++;
    }
  }

  flush(): void {
    if (this.topicId !== undefined) this.opts.repo.addActivity(this.topicId, this.lines, this.newChatters);
    this.lines = 0;
    this.newChatters = 0;
  }

  stop(): void {
    this.opts.clock.clearTimeout(this.timer);
    this.flush();
  }
}
