import type { ChatEvent, EventBus, Guard } from '../core/index.js';
import type { Config } from '../config/index.js';
import { looksLikeQuestion, type QuestionLog } from '../questions/index.js';
import type { Store } from '../store/index.js';
import type { DomainEvents } from './events.js';

/**
 * Questions from ordinary chat, and moderation reaching the question log. Detected questions are
 * never acknowledged, so they are written in batches, one transaction per turn of the event loop,
 * off the path of every chat line. A deleted message takes its asker off the question; a ban or
 * timeout takes the viewer's questions and votes of this stream; a full chat clear removes nothing.
 * Detected questions still waiting are written first. Returns `flush`, for shutdown.
 */
export function wireQuestions(live: () => Config, bus: EventBus<DomainEvents>, questions: QuestionLog, store: Store, guard: Guard): () => void {
  const waiting: ChatEvent[] = [];
  const flush = () => {
    if (waiting.length === 0) return;
    const batch = waiting.splice(0);
    store.transaction(() => {
      for (const event of batch) questions.ask(event, event.text, 'detected');
    });
  };
  // The streamer's names: a line that mentions one of them is addressed to the streamer. Read
  // again when a reload replaces the config.
  let detect: { config: Config; prefix: string; minWords: number; streamer: string[] } | undefined;
  const settings = () => {
    const config = live();
    if (detect?.config === config) return detect;
    const streamer = [
      config.twitch?.channel,
      config.twitch?.username,
      config.youtube?.channelId?.startsWith('@') ? config.youtube.channelId.slice(1) : undefined,
    ];
    return (detect = { config, prefix: config.commands.prefix, minWords: config.questions.detectMinWords, streamer: streamer.filter((n): n is string => !!n) });
  };
  bus.on('chat', (event) => {
    const { messageId, userId } = event.target ?? {};
    if (event.kind === 'deletion' && messageId) {
      flush();
      questions.removeMessage(event.platform, messageId);
    } else if (event.kind === 'ban' && userId) {
      flush();
      questions.removeViewer(event.platform, userId);
    } else if (live().questions.detect && looksLikeQuestion(event, settings())) {
      waiting.push(event);
      if (waiting.length === 1) setImmediate(guard('questions.detect', flush));
    }
  });
  return flush;
}
