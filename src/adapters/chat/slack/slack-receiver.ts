import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../../core/ports/logger.js';
import { headerOf as header, readBodyUpTo } from '../../shared/http-request.js';
import { DeliveryDedupe } from './delivery-dedupe.js';
import { verifySlackSignature } from './verify-signature.js';

const BODY_LIMIT = 1 << 20;

const readRaw = (req: IncomingMessage): Promise<string | undefined> => readBodyUpTo(req, BODY_LIMIT);

const plain = (res: ServerResponse, status: number, body = ''): void => {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': body.startsWith('{') ? 'application/json' : 'text/plain; charset=utf-8',
  });
  res.end(body);
};

/** Slash commands and shortcuts arrive form-encoded; interactions as a JSON `payload` field; events as JSON. */
export const parseSlackBody = (raw: string, contentType: string): Record<string, unknown> => {
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const form = Object.fromEntries(new URLSearchParams(raw));
  return typeof form['payload'] === 'string'
    ? (JSON.parse(form['payload']) as Record<string, unknown>)
    : form;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The key a redelivery shares with its original: event id, else team + trigger id, else the command itself. */
export const deliveryKey = (body: Record<string, unknown>, timestamp: string): string => {
  if (str(body['event_id']) !== '') return `event:${str(body['event_id'])}`;
  const team = str(body['team_id']) || str((body['team'] as { id?: unknown } | undefined)?.id);
  if (str(body['trigger_id']) !== '') return `trigger:${team}:${str(body['trigger_id'])}`;
  return `command:${team}:${str(body['user_id'])}:${str(body['command'])}:${str(body['text'])}:${timestamp}`;
};

/**
 * A Bolt receiver mounted on serve's own HTTP server (`POST /slack/events`) instead of a port of
 * its own. Per request: signature check (forged, unsigned, stale → 401 before anything runs),
 * `url_verification` / `ssl_check`, de-duplication of redeliveries, then `app.processEvent` with an
 * `ack` that answers the HTTP request at once (listeners ack before they do any work).
 */
export class ServeSlackReceiver implements Receiver {
  private app: App | undefined;
  private running = false;
  private readonly dedupe: DeliveryDedupe;

  constructor(
    private readonly opts: {
      signingSecret: string;
      logger: Logger;
      now?: () => number;
      dedupe?: DeliveryDedupe;
    },
  ) {
    this.dedupe = opts.dedupe ?? new DeliveryDedupe(opts.now ? { now: opts.now } : {});
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    this.running = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.running = false;
    return Promise.resolve();
  }

  /** The route handler for serve's router. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readRaw(req);
    if (raw === undefined) return plain(res, 413, 'body too large');
    const timestamp = header(req, 'x-slack-request-timestamp');
    const verdict = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      body: raw,
      timestamp,
      signature: header(req, 'x-slack-signature'),
      nowMs: (this.opts.now ?? Date.now)(),
    });
    if (verdict !== 'ok') {
      this.opts.logger.warn({ verdict }, 'slack: request refused (signature)');
      return plain(res, 401, `slack signature ${verdict}`);
    }
    const app = this.app;
    if (!this.running || !app) return plain(res, 503, 'slack transport is not running');
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, header(req, 'content-type') ?? '');
    } catch {
      return plain(res, 400, 'unreadable body');
    }
    if (body['ssl_check'] === '1') return plain(res, 200);
    if (body['type'] === 'url_verification')
      return plain(res, 200, JSON.stringify({ challenge: body['challenge'] }));
    const retryNum = header(req, 'x-slack-retry-num');
    const retryReason = header(req, 'x-slack-retry-reason');
    if (this.dedupe.seen(deliveryKey(body, timestamp ?? ''))) {
      this.opts.logger.info({ retryNum, retryReason }, 'slack: redelivery ignored');
      return plain(res, 200);
    }
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ...(retryNum === undefined ? {} : { retryNum: Number(retryNum) }),
      ...(retryReason === undefined ? {} : { retryReason }),
      ack: (response?: unknown): Promise<void> => {
        if (acked) return Promise.resolve();
        acked = true;
        if (response === undefined || response === '') plain(res, 200);
        else plain(res, 200, typeof response === 'string' ? response : JSON.stringify(response));
        return Promise.resolve();
      },
    };
    try {
      await app.processEvent(event);
      if (!acked) plain(res, 404, 'no handler');
    } catch (err) {
      this.opts.logger.error({ err }, 'slack: event failed');
      if (!acked) plain(res, 500, 'internal error');
    }
  };
}
