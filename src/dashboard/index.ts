export { DashboardServer, CSP, MAX_CLIENT_BUFFER, type DashboardApi, type DashboardOptions } from './server.js';
export { QUESTION_ACTIONS, type QuestionAction } from './routes.js';
export type { DataApi, ForgetRequest } from './data-routes.js';
export type { ApiResult, BotView, CommandBody, CommandsApi, TimerBody } from './commands-routes.js';
export { BACKLOG_ACTIONS, type BacklogAction, type BacklogState, type BacklogView } from './backlog-routes.js';
export { dashboardToken, sameSecret, overlayKey, hashOf, tightenMode, LOGIN_CODE_MS, MIN_TOKEN_LENGTH } from './auth.js';
export {
  chatView,
  overlayQuestion,
  problemView,
  questionView,
  statusView,
  topicView,
  type ChatView,
  type OverlayView,
  type Page,
  type QuestionView,
  type SearchView,
  type StateView,
  type TopicView,
} from './state.js';
