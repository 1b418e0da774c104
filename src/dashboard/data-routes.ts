import type { FastifyInstance } from 'fastify';
import { isLecternError, type PlatformId } from '../core/index.js';
import type { ForgetOutcome } from '../records/index.js';

/** Who to forget: a viewer the streamer names, or the author of a line of the chat panel. */
export interface ForgetRequest {
  readonly platform: PlatformId;
  readonly viewer?: string;
  readonly line?: string;
}

/** The streamer's data as the dashboard (and `lectern forget`) uses it. Errors: NOT_FOUND (404), INVALID_INPUT (400). */
export interface DataApi {
  forgetViewer(r: ForgetRequest): ForgetOutcome;
}

const name = { type: 'string', minLength: 1, maxLength: 200 } as const;

/**
 * `POST /api/viewers/forget`: erases a viewer in every stream. 200 with what was removed; 404 when
 * nothing is stored about them; 409 with the accounts when a name matches several (never guessed).
 * Registered inside the protected plugin, like every other route.
 */
export async function dataRoutes(f: FastifyInstance, api: DataApi): Promise<void> {
  f.post<{ Body: ForgetRequest }>(
    '/api/viewers/forget',
    { schema: { body: { type: 'object', required: ['platform'], properties: { platform: { enum: ['twitch', 'youtube'] }, viewer: name, line: name } } } },
    async (req, reply) => {
      const { platform, viewer, line } = req.body;
      if ((viewer === undefined) === (line === undefined))
        return reply.code(400).send({ error: 'bad-request', message: 'name the viewer, or the chat line whose author to forget (one of them)' });
      let r: ForgetOutcome;
      try {
        r = api.forgetViewer(req.body);
      } catch (err) {
        if (isLecternError(err, 'NOT_FOUND')) return reply.code(404).send({ error: 'not-found', message: err.message });
        if (isLecternError(err, 'INVALID_INPUT')) return reply.code(400).send({ error: 'bad-request', message: err.message });
        throw err;
      }
      if (r.kind === 'none') return reply.code(404).send({ error: 'not-found', message: `Nothing is stored about a ${platform} viewer "${viewer}"` });
      if (r.kind === 'ambiguous')
        return reply.code(409).send({
          error: 'ambiguous',
          message: `"${viewer}" is the name of ${r.accounts.length} ${platform} accounts: name one by its account id`,
          accounts: r.accounts,
        });
      return r.report;
    },
  );
}
