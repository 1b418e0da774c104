import type { Config } from '../config/index.js';
import { customCommand, helpCommand, type CommandRouter } from '../commands/index.js';
import { articleCommand, linksCommand, notesCommand, type KnowledgeBase } from '../knowledge/index.js';
import { answeredCommand, askCommand, dismissCommand, questionsCommand, voteCommand, type QuestionLog } from '../questions/index.js';
import { topicCommand, type TopicTracker } from '../topics/index.js';

/** The built-in commands, then the config's own (a name taken twice is a config error). */
export function registerCommands(router: CommandRouter, config: Config, s: { topics: TopicTracker; knowledge: KnowledgeBase; questions: QuestionLog }): void {
  const topicTitle = () => s.topics.current()?.title;
  const noteFor = (title: string) => s.knowledge.search(title, { limit: 1, kinds: ['section'] })[0];
  router.register(helpCommand);
  router.register(topicCommand(s.topics, noteFor));
  router.register(notesCommand({ knowledge: s.knowledge, topic: topicTitle }));
  router.register(articleCommand({ knowledge: s.knowledge, topic: topicTitle }));
  router.register(linksCommand({ knowledge: s.knowledge, topic: topicTitle }));
  router.register(askCommand(s.questions, config.questions));
  router.register(voteCommand(s.questions));
  router.register(answeredCommand(s.questions));
  router.register(dismissCommand(s.questions));
  router.register(questionsCommand(s.questions));
  config.commands.custom.forEach((c, i) => router.register(customCommand(c), `commands.custom[${i}]`));
}
