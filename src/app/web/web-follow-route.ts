import type { FastifyInstance } from 'fastify';
import { K3scError } from '../../core/errors.js';
import type { WebParts } from './web-app.js';
import { problem } from './web-page-routes.js';
import { sessionOf, viewerOf } from './web-viewer.js';

/**
 * `GET /issue/attempt?ref=owner/repo#N`: the name and phase of the latest attempt
 * (`{ attempt: null }` before the first), from the store only (no GitHub request). The issue
 * page's `issue-follow.js` asks it while no attempt is live on the page and reloads when a new
 * one has started.
 */
export const followRoute = (app: FastifyInstance, p: WebParts): void => {
  const { deps, options: o } = p;
  const call = { signal: o.signal };
  app.get('/issue/attempt', async (req, reply) => {
    const v = await viewerOf(deps, req, sessionOf(deps, req, reply));
    if (v.kind === 'none') return reply.code(401).send({ error: 'log in first' });
    const ref = (req.query as { ref?: unknown }).ref;
    if (typeof ref !== 'string' || !/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}#\d{1,9}$/.test(ref))
      return reply.code(400).send({ error: 'bad issue' });
    try {
      const log = await o.api.logs(ref, { tail: 1 }, call);
      return reply.header('cache-control', 'no-store').send({ attempt: log.attempt, phase: log.phase });
    } catch (err) {
      if (err instanceof K3scError && err.code === 'not_found')
        return reply.header('cache-control', 'no-store').send({ attempt: null });
      const { status, message } = problem(err);
      return reply.code(status).send({ error: message });
    }
  });
};
