import type { App } from '../app.js';
import { collectExport, EXPORT_EXTENSIONS, EXPORT_FORMATS, render, type ExportFormat } from '../export/index.js';
import type { DashboardApi } from './server.js';
import { chatView, problemView, questionView, statusView, topicView, type ChatView } from './state.js';

const CONTENT: Record<ExportFormat, string> = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', chapters: 'text/plain; charset=utf-8' };

function act(app: App, number: number, action: 'answer' | 'dismiss' | 'highlight' | 'unhighlight') {
  switch (action) {
    case 'answer':
      return app.questions.setState(number, 'answered');
    case 'dismiss':
      return app.questions.setState(number, 'dismissed');
    case 'highlight':
      return app.questions.highlight(number);
    case 'unhighlight':
      // Takes whatever is on the overlay off it; answers with the question asked about.
      if (!app.questions.get(number)) return undefined;
      app.questions.highlight(null);
      return app.questions.get(number);
  }
}

/** What the dashboard may do with the running app: views of state, and the streamer's actions. */
export function dashboardApi(app: App, recentChat: () => readonly ChatView[]): DashboardApi {
  // Questions moderation removed are kept for the record (JSON export), never shown.
  const questions = () => app.questions.all().filter((q) => q.state !== 'removed').map(questionView);
  return {
    state: () => ({
      topic: app.topics.current() ? topicView(app.topics.current()!) : null,
      timeline: app.topics.timeline().map(topicView),
      questions: questions(),
      platforms: app.statuses().map(statusView),
      problems: app.health.list().map(problemView),
      chat: recentChat(),
      stream: app.currentStream ? { id: app.currentStream.id, startedAt: app.currentStream.startedAt } : null,
    }),
    questions,
    setTopic: (title) => {
      const row = app.topics.set(title, 'dashboard', 'dashboard');
      return row ? topicView(row) : app.topics.current() ? topicView(app.topics.current()!) : null;
    },
    questionAction: (number, action) => {
      const q = act(app, number, action);
      return q ? questionView(q) : undefined;
    },
    exportText: (format) => {
      if (!(EXPORT_FORMATS as string[]).includes(format)) return undefined;
      const f = format as ExportFormat;
      const data = collectExport(app.storeForReading(), app.currentStream!.id, app.config.stream.vodUrl, app.clock.now());
      return { text: render(f, data).text, contentType: CONTENT[f], filename: `lectern-stream-${data.stream.id}.${EXPORT_EXTENSIONS[f]}` };
    },
    search: (q) => (q.trim() ? app.knowledge.search(q, { limit: 8, ...(app.topics.current() ? { topic: app.topics.current()!.title } : {}) }).map((r) => ({ title: r.title, url: r.url, source: r.source, score: r.score })) : []),
  };
}

export { chatView };
