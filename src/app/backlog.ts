import type { ChatEvent, EventBus } from '../core/index.js';
import type { Config } from '../config/index.js';
import { Backlog, FollowUps, TopicActivity, type Link } from '../backlog/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Store, StreamRow } from '../store/index.js';
import type { TopicTracker } from '../topics/index.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';

/** A chat answer needs half the question's words in the section: the same bar for the backlog. */
const MIN_MATCH = 0.5;
/** New questions join the backlog this long after they were asked (in batches, off the chat path)… */
const SYNC_DELAY_MS = 2_000;
/** …at most this many a batch, a batch every few seconds while more wait (a flood costs chat little). */
const SYNC_BATCH = 500;
const SYNC_AGAIN_MS = 5_000;
/** The dashboard is told the backlog changed at most this often. */
const NOTIFY_MS = 2_000;

/** The note section the search matches for a text (what the bot would link), or null. */
export function noteFinder(knowledge: KnowledgeBase): (text: string) => Link | null {
  return (text) => {
    const r = knowledge.search(text, { limit: 1, kinds: ['section'], minMatch: MIN_MATCH })[0];
    return r ? { title: r.title, url: r.url } : null;
  };
}

/** The article the search ranks first for a text, if it matches well enough. */
export function articleFinder(knowledge: KnowledgeBase): (text: string) => (Link & { score: number }) | undefined {
  return (text) => {
    const r = knowledge.search(text, { limit: 1, kinds: ['article'], minMatch: MIN_MATCH })[0];
    return r ? { title: r.title, url: r.url, score: r.score } : undefined;
  };
}

export interface BacklogParts {
  readonly backlog: Backlog;
  readonly followUps: FollowUps;
  readonly activity: TopicActivity;
  /** A feed's articles arrived: propose the new ones as answers. */
  readonly articles: (articles: ReadonlyArray<Link>, feedUrl: string) => void;
  readonly stop: () => void;
}

/**
 * The backlog in the running service: new questions join it in batches, new posts in the feeds
 * propose answers, askers of answered questions get their follow-up, and chat is counted per topic.
 * Changes reach the dashboard as `backlog` events.
 */
export function wireBacklog(
  config: Config,
  deps: {
    readonly bus: EventBus<DomainEvents>;
    readonly store: Store;
    readonly rt: Runtime;
    readonly knowledge: () => KnowledgeBase;
    readonly topics: TopicTracker;
    readonly stream: () => StreamRow | undefined;
    /** Queues a reply; true when it was queued (a follow-up counts as told only then). */
    readonly reply: (event: ChatEvent, text: string) => boolean;
    readonly room: (event: ChatEvent) => number;
  },
): BacklogParts {
  const { bus, store, rt } = deps;
  const noteFor = (text: string) => noteFinder(deps.knowledge())(text);
  const backlog = new Backlog({
    store,
    clock: rt.clock,
    halfLifeDays: config.backlog.halfLifeDays,
    noteFor,
    notesVersion: () => deps.knowledge().generation,
    placeOnRead: SYNC_BATCH,
  });
  const followUps = new FollowUps({
    repo: store.backlog,
    stream: deps.stream,
    clock: rt.clock,
    logger: rt.logger.child({ component: 'follow-ups' }),
    enabled: config.followUp.enabled,
    reply: deps.reply,
    room: deps.room,
  });
  const activity = new TopicActivity({ repo: store.engagement, topic: () => deps.topics.current(), clock: rt.clock, guard: rt.guard });
  // The dashboard hears of changes to its items at most every few seconds (a flood of questions
  // would otherwise make every open page read the backlog again and again).
  let notifyTimer: ReturnType<Runtime['clock']['setTimeout']> | undefined;
  const itemsChanged = () => {
    notifyTimer ??= rt.clock.setTimeout(
      rt.guard('backlog.notify', () => {
        notifyTimer = undefined;
        bus.emit('backlog', { change: 'items' });
      }),
      NOTIFY_MS,
    );
  };
  let syncTimer: ReturnType<Runtime['clock']['setTimeout']> | undefined;
  const sync = rt.guard('backlog.sync', () => {
    syncTimer = undefined;
    const placed = backlog.sync(SYNC_BATCH);
    if (placed > 0) itemsChanged();
    if (placed === SYNC_BATCH) syncTimer = rt.clock.setTimeout(sync, SYNC_AGAIN_MS);
  });
  bus.on('question', ({ question, change }) => {
    backlog.changed();
    // A question restored after moderation may wait behind the last one placed.
    if (change === 'state' && question.state === 'open') backlog.rescan();
    if (change === 'created' || (change === 'state' && question.state === 'open')) syncTimer ??= rt.clock.setTimeout(sync, SYNC_DELAY_MS);
    if (change !== 'created') itemsChanged();
  });
  bus.on('stream-begun', () => followUps.refresh());
  bus.on('chat', (event) => {
    activity.onChat(event);
    followUps.onChat(event);
  });
  bus.on('topic-changed', () => activity.flush());
  const articles = (list: ReadonlyArray<Link>, feedUrl: string) => {
    const made = backlog.articlesArrived(feedUrl, list, (text) => articleFinder(deps.knowledge())(text));
    if (made > 0) {
      rt.logger.info({ proposals: made }, 'a new post may answer backlog questions');
      bus.emit('backlog', { change: 'proposals' });
    }
  };
  return {
    backlog,
    followUps,
    activity,
    articles,
    stop: () => {
      rt.clock.clearTimeout(syncTimer);
      rt.clock.clearTimeout(notifyTimer);
      activity.stop();
    },
  };
}
