import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { OverlayView, Page, QuestionView, SearchView, StateView, TopicView } from './state.js';
import { backlogRoutes, type BacklogApi } from './backlog-routes.js';
import { dataRoutes, type DataApi } from './data-routes.js';
import { commandsRoutes, type CommandsApi } from './commands-routes.js';

/** `reopen` undoes answered or dismissed; `restore` brings back a question moderation removed. */
export type QuestionAction = 'answer' | 'dismiss' | 'highlight' | 'unhighlight' | 'reopen' | 'restore';
export const QUESTION_ACTIONS: readonly QuestionAction[] = ['answer', 'dismiss', 'highlight', 'unhighlight', 'reopen', 'restore'];

/** What the dashboard may do with the running app: views of its state and the streamer's actions. */
export interface DashboardApi extends BacklogApi, DataApi, CommandsApi {
  state(): StateView;
  /** Open questions best first, or closed ones latest first, a page at a time. */
  questions(which: 'open' | 'closed', offset: number, limit: number): Page<QuestionView>;
  setTopic(title: string): TopicView | null;
  questionAction(number: number, action: QuestionAction): QuestionView | undefined;
  exportText(format: string): { text: string; contentType: string; filename: string } | undefined;
  search(q: string): readonly SearchView[];
  /** The topic proposed on the dashboard is set aside. */
  dismissSuggestion(): { ok: true };
  /** A problem shown on the dashboard is set aside by the streamer (false: no such problem). */
  dismissProblem(component: string, code: string): boolean;
  overlay(): OverlayView;
}

export interface RouteDeps {
  readonly api: DashboardApi;
  readonly files: ReadonlyMap<string, Buffer>;
  readonly logout: (req: FastifyRequest) => void;
  readonly onSocket: (ws: WebSocket, req: FastifyRequest) => void;
}

const json = { type: 'object' } as const;

/**
 * The dashboard's pages, API and live socket. Registered inside the plugin whose onRequest hook
 * checks the session (server.ts), so every route here is protected by construction.
 */
export async function protectedRoutes(f: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { api } = deps;
  f.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(deps.files.get('dashboard.html')));
  f.get('/api/state', async () => api.state());
  f.get<{ Querystring: { which: 'open' | 'closed'; offset: number; limit: number } }>(
    '/api/questions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            which: { enum: ['open', 'closed'], default: 'open' },
            offset: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
    },
    async (req) => api.questions(req.query.which, req.query.offset, req.query.limit),
  );
  f.get<{ Querystring: { q: string } }>(
    '/api/search',
    { schema: { querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200, default: '' } } } } },
    async (req) => api.search(req.query.q),
  );
  f.post<{ Body: { title: string } }>(
    '/api/topic',
    { schema: { body: { ...json, required: ['title'], properties: { title: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' } } } } },
    async (req) => api.setTopic(req.body.title),
  );
  f.post<{ Params: { id: number; action: QuestionAction } }>(
    '/api/questions/:id/:action',
    { schema: { params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 }, action: { enum: [...QUESTION_ACTIONS] } } } } },
    async (req, reply) =>
      api.questionAction(req.params.id, req.params.action) ??
      reply.code(404).send({ error: 'not-found', message: `no question #${req.params.id} that can be ${req.params.action}ed` }),
  );
  f.get<{ Querystring: { format: string } }>(
    '/api/export',
    { schema: { querystring: { type: 'object', properties: { format: { type: 'string', default: '' } } } } },
    async (req, reply) => {
      const e = api.exportText(req.query.format);
      if (!e) return reply.code(400).send({ error: 'bad-request', message: 'format must be md, csv, json or chapters' });
      return reply.type(e.contentType).header('content-disposition', `attachment; filename="${e.filename}"`).send(e.text);
    },
  );
  f.post('/api/topic/suggestion/dismiss', async () => api.dismissSuggestion());
  f.post<{ Body: { component: string; code: string } }>(
    '/api/problems/dismiss',
    {
      schema: {
        body: {
          ...json,
          required: ['component', 'code'],
          properties: { component: { type: 'string', maxLength: 100 }, code: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (req, reply) =>
      api.dismissProblem(req.body.component, req.body.code)
        ? { ok: true }
        : reply.code(404).send({ error: 'not-found', message: 'That problem is already gone.' }),
  );
  await backlogRoutes(f, api);
  await dataRoutes(f, api);
  await commandsRoutes(f, api);
  f.post('/api/logout', async (req, reply) => {
    deps.logout(req);
    return reply.header('set-cookie', 'lectern_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0').send({ ok: true });
  });
  f.get('/ws', { websocket: true }, (socket, req) => deps.onSocket(socket, req));
}
