export { QuestionLog, score, byScore, type AskResult, type VoteResult, type QuestionChange, type QuestionLogOptions } from './question-log.js';
export { askCommand, voteCommand, answeredCommand, dismissCommand, questionsCommand, parseNumber } from './commands.js';
export { looksLikeQuestion, type DetectOptions } from './detect.js';
export { similarity, keywords, normalizeText, SIMILARITY_THRESHOLD } from './similarity.js';
