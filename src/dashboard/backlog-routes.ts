import type { FastifyInstance, FastifyReply } from 'fastify';
import { isLecternError } from '../core/index.js';
import type { BacklogEntry, EngagementReport } from '../backlog/index.js';
import type { ProposalRow } from '../store/index.js';

export type BacklogState = 'open' | 'answered' | 'dismissed' | 'all';
export type BacklogAction = 'answer' | 'answer-live' | 'dismiss' | 'reopen';
export const BACKLOG_ACTIONS: readonly BacklogAction[] = ['answer', 'answer-live', 'dismiss', 'reopen'];

/** A page of the backlog, the topics its items were asked under (for the filter) and proposals. */
export interface BacklogView {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly BacklogEntry[];
  readonly topics: readonly string[];
  readonly proposals: readonly ProposalRow[];
}

/** The backlog as the dashboard uses it. Errors are LecternErrors: NOT_FOUND (404), INVALID_INPUT (400). */
export interface BacklogApi {
  backlog(o: { state: BacklogState; topic: string; offset: number; limit: number }): BacklogView;
  backlogAction(id: number, action: BacklogAction, post: { url?: string; title?: string }): BacklogEntry;
  backlogMerge(from: number, into: number): BacklogEntry;
  proposal(itemId: number, url: string, action: 'confirm' | 'reject'): { ok: true };
  topicsReport(): EngagementReport;
}

/** LecternErrors about the request become 404 or 400 with their message; anything else is a 500. */
async function answer<T>(reply: FastifyReply, fn: () => T): Promise<T | FastifyReply> {
  try {
    return fn();
  } catch (err) {
    if (isLecternError(err, 'NOT_FOUND')) return reply.code(404).send({ error: 'not-found', message: err.message });
    if (isLecternError(err, 'INVALID_INPUT')) return reply.code(400).send({ error: 'bad-request', message: err.message });
    throw err;
  }
}

const id = { type: 'integer', minimum: 1 } as const;
const url = { type: 'string', minLength: 1, maxLength: 2000 } as const;

/** The backlog's routes (registered inside the protected plugin, like every other route). */
export async function backlogRoutes(f: FastifyInstance, api: BacklogApi): Promise<void> {
  f.get<{ Querystring: { state: BacklogState; topic: string; offset: number; limit: number } }>(
    '/api/backlog',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            state: { enum: ['open', 'answered', 'dismissed', 'all'], default: 'open' },
            topic: { type: 'string', maxLength: 200, default: '' },
            offset: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
    },
    async (req) => api.backlog(req.query),
  );
  f.post<{ Params: { id: number; action: BacklogAction }; Body: { url?: string; title?: string } }>(
    '/api/backlog/:id/:action',
    {
      schema: {
        params: { type: 'object', properties: { id, action: { enum: [...BACKLOG_ACTIONS] } } },
        body: { type: 'object', properties: { url, title: { type: 'string', maxLength: 300 } } },
      },
    },
    async (req, reply) => {
      if (req.params.action === 'answer' && !req.body?.url)
        return reply.code(400).send({ error: 'bad-request', message: 'answer needs the url of the post that answers it (or use answer-live)' });
      return answer(reply, () => api.backlogAction(req.params.id, req.params.action, req.body ?? {}));
    },
  );
  f.post<{ Body: { from: number; into: number } }>(
    '/api/backlog/merge',
    { schema: { body: { type: 'object', required: ['from', 'into'], properties: { from: id, into: id } } } },
    async (req, reply) => answer(reply, () => api.backlogMerge(req.body.from, req.body.into)),
  );
  f.post<{ Body: { itemId: number; url: string; action: 'confirm' | 'reject' } }>(
    '/api/backlog/proposals',
    { schema: { body: { type: 'object', required: ['itemId', 'url', 'action'], properties: { itemId: id, url, action: { enum: ['confirm', 'reject'] } } } } },
    async (req, reply) => answer(reply, () => api.proposal(req.body.itemId, req.body.url, req.body.action)),
  );
  f.get('/api/topics', async () => api.topicsReport());
}
