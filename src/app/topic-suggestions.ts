import type { EventBus, PlatformId } from '../core/index.js';
import { normalizeText } from '../questions/index.js';
import { topicFromTitle, type TopicTracker } from '../topics/index.js';
import type { Link } from '../backlog/index.js';
import type { DomainEvents } from './events.js';
import type { Runtime } from './runtime.js';

/** A topic the dashboard proposes; the streamer switches with one click, Lectern never does by itself. */
export interface TopicSuggestion {
  readonly title: string;
  /** Why, in words: "the Twitch stream title", "3 viewers asked about it in 5 minutes". */
  readonly reason: string;
  readonly url?: string;
}

/** Questions from this many viewers about one note section within this window… */
export const QUESTION_WINDOW_MS = 5 * 60_000;
/** …this many of them suggest switching to it… */
export const QUESTIONS_TO_SUGGEST = 3;
/** …and one section is suggested again at most this often. */
const SUGGEST_AGAIN_MS = 15 * 60_000;
/** New questions are matched against the notes a few a second, the newest kept when more wait. */
const LOOKS_PER_TICK = 5;
const TICK_MS = 1_000;
const MAX_WAITING = 20;

const PLATFORM_NAME: Record<PlatformId, string> = { twitch: 'Twitch', youtube: 'YouTube' };

/**
 * The topic from the stream itself. The stream's title (Twitch Helix `GET /channels`, YouTube the
 * live video's title) becomes the first topic when none is set yet, and a changed title is
 * proposed on the dashboard. During the stream, when several questions in a few minutes match a
 * note section other than the current topic's, switching to it is proposed. Nothing switches by
 * itself.
 */
export function wireTopicSuggestions(deps: {
  readonly bus: EventBus<DomainEvents>;
  readonly topics: TopicTracker;
  readonly rt: Runtime;
  readonly noteFor: (text: string) => Link | null;
}): { current(): TopicSuggestion | null; dismiss(): void; stop(): void } {
  const { bus, topics, rt } = deps;
  let suggestion: TopicSuggestion | null = null;
  const recent: Array<{ at: number; url: string; title: string; asker: string }> = [];
  const suggestedAt = new Map<string, number>();
  const same = (a: string, b: string) => normalizeText(a) === normalizeText(b);
  const suggest = (s: TopicSuggestion | null) => {
    suggestion = s;
    bus.emit('topic-suggestion', s);
  };

  const titled = rt.guard('topics.title', (platform: PlatformId, title: string) => {
    const topic = topicFromTitle(title);
    if (!topic) return;
    const current = topics.current();
    if (!current) {
      topics.set(topic, 'title', platform);
      return;
    }
    if (!same(current.title, topic)) suggest({ title: topic, reason: `the ${PLATFORM_NAME[platform]} stream title` });
  });
  // The latest title of each platform: a new stream session starts from it.
  const titles = new Map<PlatformId, string>();
  let begun: ReturnType<Runtime['clock']['setTimeout']> | undefined;
  bus.on('platform-title', ({ platform, title }) => {
    titles.set(platform, title);
    titled(platform, title);
  });
  // Going live carries the broadcast's title too (heard before its session's first topic is set).
  bus.on('platform-live', ({ platform, live }) => {
    if (live.state === 'live' && live.title) titles.set(platform, live.title);
  });

  // Each new question is matched against the notes (a search), off the chat path: the newest few
  // wait, and a few are looked at a second. In a flood most are never looked at, which is enough:
  // a run of questions about one section shows in any sample of them.
  const waiting: Array<{ at: number; text: string; asker: string }> = [];
  let timer: ReturnType<Runtime['clock']['setTimeout']> | undefined;
  const consider = (at: number, text: string, asker: string) => {
    const note = deps.noteFor(text);
    if (!note) return;
    recent.push({ at, url: note.url, title: note.title, asker });
    while (recent.length && recent[0]!.at < at - QUESTION_WINDOW_MS) recent.shift();
    // Questions from different viewers: one viewer alone does not move the topic.
    const about = new Set(recent.filter((r) => r.url === note.url).map((r) => r.asker)).size;
    if (about < QUESTIONS_TO_SUGGEST) return;
    const current = topics.current();
    if (current && (same(current.title, note.title) || deps.noteFor(current.title)?.url === note.url)) return;
    if (at - (suggestedAt.get(note.url) ?? -Infinity) < SUGGEST_AGAIN_MS) return;
    suggestedAt.set(note.url, at);
    suggest({ title: note.title, reason: `${about} viewers asked about it in ${QUESTION_WINDOW_MS / 60_000} minutes`, url: note.url });
  };
  const look = rt.guard('topics.suggest', () => {
    timer = undefined;
    for (const q of waiting.splice(0, LOOKS_PER_TICK)) consider(q.at, q.text, q.asker);
    if (waiting.length) timer = rt.clock.setTimeout(look, TICK_MS);
  });
  bus.on('question', ({ question, change }) => {
    if (change !== 'created') return;
    waiting.push({ at: rt.clock.now(), text: question.text, asker: `${question.platform}:${question.authorId}` });
    if (waiting.length > MAX_WAITING) waiting.splice(0, waiting.length - MAX_WAITING);
    timer ??= rt.clock.setTimeout(look, 0);
  });

  bus.on('topic-changed', (t) => {
    if (suggestion && same(suggestion.title, t.title)) suggest(null);
  });
  bus.on('stream-begun', () => {
    recent.length = 0;
    waiting.length = 0;
    if (suggestion) suggest(null);
    // A new session begins without a topic: the stream's title is its first, once what came with
    // going live has been heard (the session begins while that news is still being handed out).
    begun = rt.clock.setTimeout(
      rt.guard('topics.title', () => {
        for (const [platform, title] of titles) {
          if (topics.current()) break;
          titled(platform, title);
        }
      }),
      0,
    );
  });

  return {
    current: () => suggestion,
    dismiss: () => suggest(null),
    stop: () => {
      rt.clock.clearTimeout(timer);
      rt.clock.clearTimeout(begun);
    },
  };
}
