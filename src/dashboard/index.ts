export { DashboardServer, CSP, MAX_CLIENT_BUFFER, type DashboardApi, type DashboardOptions } from './server.js';
export { dashboardApi } from './api.js';
export { dashboardToken, sameSecret } from './auth.js';
export { chatView, problemView, questionView, statusView, topicView, type ChatView, type QuestionView } from './state.js';
