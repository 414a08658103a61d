import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhooks } from '@octokit/webhooks';
import { K3scError } from '../../core/errors.js';
import { repoKey, type RepoRef } from '../../core/model/refs.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { RecentKeys } from '../shared/recent-keys.js';
import { readLimitedBody } from './read-limited-body.js';
import { parseWebhookPayload } from './webhook-payload.js';

export interface GitHubWebhookEvent {
  readonly event: string;
  readonly action?: string;
  readonly repo: RepoRef;
  readonly number?: number;
  readonly deliveryId?: string;
}

export interface GitHubWebhookHandlerOptions {
  readonly secret: string;
  /** Called for verified `issues`, `pull_request` and `label` deliveries; keep it fast (enqueue work). */
  readonly onEvent: (e: GitHubWebhookEvent) => void;
  readonly logger?: Logger;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long a delivery id is remembered, so a replay is not handed on twice (default 10 min). */
  readonly dedupeWindowMs?: number;
  /** At most this many delivery ids are remembered (default 10,000; the oldest are forgotten first). */
  readonly maxDeliveries?: number;
  /** Clock for the dedupe window (tests). */
  readonly now?: () => number;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const HANDLED_EVENTS = new Set(['issues', 'pull_request', 'label']);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const reply = (res: ServerResponse, status: number, message: string, close = false): void => {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify({ ok: status < 300, message }));
};

/**
 * A node handler for `POST /webhooks/github`: checks `X-Hub-Signature-256` over the exact
 * raw body, then answers at once. 401 unsigned/forged, 413 over the size limit, 400 bad body,
 * 200 ping, ignored events and repeats of an accepted `X-GitHub-Delivery`, 202 after handing an
 * event to `onEvent`. Never throws.
 */
export const createGitHubWebhookHandler = (opts: GitHubWebhookHandlerOptions): NodeHandler => {
  if (opts.secret === '')
    throw new K3scError(
      'config_invalid',
      'The GitHub webhook secret is empty; set it in the github section of the config.',
    );
  const webhooks = new Webhooks({ secret: opts.secret });
  const logger = (opts.logger ?? silentLogger).child({ component: 'github-webhook' });
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const deliveries = new RecentKeys(
    opts.dedupeWindowMs ?? 10 * 60_000,
    opts.maxDeliveries ?? 10_000,
    opts.now ?? Date.now,
  );

  const verified = async (raw: string, signature: string | undefined): Promise<boolean> => {
    if (!signature) return false;
    try {
      return await webhooks.verify(raw, signature);
    } catch {
      return false;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return reply(res, 405, 'use POST');
    const body = await readLimitedBody(req, limit);
    if (!body.ok)
      return reply(
        res,
        body.reason === 'too_large' ? 413 : 400,
        `request body ${body.reason === 'too_large' ? `over ${limit} bytes` : 'aborted'}`,
        true,
      );
    const deliveryId = header(req, 'x-github-delivery');
    const event = header(req, 'x-github-event');
    const log = logger.child({ deliveryId, event });
    if (!(await verified(body.raw, header(req, 'x-hub-signature-256')))) {
      log.warn({}, 'rejected GitHub webhook: missing or wrong X-Hub-Signature-256');
      return reply(res, 401, 'signature missing or does not match; check the webhook secret');
    }
    if (!event) return reply(res, 400, 'missing X-GitHub-Event header');
    if (event === 'ping') return reply(res, 200, 'pong');
    if (!HANDLED_EVENTS.has(event)) return reply(res, 200, `event ${event} ignored`);
    const parsed = parseWebhookPayload(body.raw);
    if (!parsed.ok) {
      log.warn({ problem: parsed.message }, 'rejected GitHub webhook body');
      return reply(res, 400, parsed.message);
    }
    // Checked and recorded with no await in between, so two copies in flight cannot both pass.
    if (deliveryId !== undefined && deliveries.has(deliveryId)) {
      log.debug({}, 'GitHub webhook delivery already accepted; ignoring the repeat');
      return reply(res, 200, `delivery ${deliveryId} already accepted`);
    }
    const e: GitHubWebhookEvent = {
      event,
      ...parsed.value,
      ...(deliveryId === undefined ? {} : { deliveryId }),
    };
    try {
      opts.onEvent(e);
    } catch (err) {
      log.error({ err }, 'GitHub webhook consumer failed');
      return reply(res, 500, 'could not accept the event');
    }
    // Only an accepted delivery is remembered: GitHub's redelivery of a failed one must get through.
    if (deliveryId !== undefined) deliveries.add(deliveryId);
    log.debug({ repo: repoKey(e.repo), action: e.action, number: e.number }, 'GitHub webhook accepted');
    return reply(res, 202, 'accepted');
  };

  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      logger.error({ err }, 'GitHub webhook handler failed');
      reply(res, 500, 'internal error');
    }
  };
};
