import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../../core/ports/logger.js';
import type { ReconnectBackoff } from '../shared/reconnect-backoff.js';
import { DeliveryDedupe } from './delivery-dedupe.js';
import { deliveryKey } from './slack-receiver.js';
import { SlackSocketConnection, type SocketEnvelope } from './socket-connection.js';

/** Slack answers these for a token that will never work: reconnecting would loop forever. */
const FATAL = new Set([
  'invalid_auth',
  'not_allowed_token_type',
  'account_inactive',
  'token_revoked',
  'not_authed',
]);

const platformError = (err: unknown): string | undefined => {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
};

export interface SocketReceiverOptions {
  /** The app-level token (`xapp-…`, scope `connections:write`). */
  readonly appToken: string;
  readonly logger: Logger;
  readonly dedupe?: DeliveryDedupe;
  readonly now?: () => number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly helloTimeoutMs?: number;
  readonly backoff?: ReconnectBackoff;
}

/**
 * A Bolt receiver for Socket Mode on k3sc's own connection (`SlackSocketConnection`: one socket,
 * watchdog, back-off, refresh without a gap). Each envelope is de-duplicated — by envelope id and
 * by the same key as HTTP mode (event id, team + trigger id) — then handed to `app.processEvent`
 * with an `ack` that answers over the socket. A redelivery is acked again and runs nothing.
 */
export class SlackSocketReceiver implements Receiver {
  private app: App | undefined;
  private readonly dedupe: DeliveryDedupe;
  readonly connection: SlackSocketConnection;

  constructor(private readonly opts: SocketReceiverOptions) {
    this.dedupe = opts.dedupe ?? new DeliveryDedupe(opts.now ? { now: opts.now } : {});
    this.connection = new SlackSocketConnection({
      openUrl: async () => {
        if (!this.app) throw new Error('slack: receiver not initialised');
        const res = await this.app.client.apps.connections.open({ token: opts.appToken });
        if (typeof res.url !== 'string') throw new Error('apps.connections.open gave no url');
        return res.url;
      },
      onEnvelope: (e, ack) => void this.deliver(e, ack),
      isFatal: (err) => FATAL.has(platformError(err) ?? ''),
      logger: opts.logger,
      ...(opts.pingIntervalMs === undefined ? {} : { pingIntervalMs: opts.pingIntervalMs }),
      ...(opts.pongTimeoutMs === undefined ? {} : { pongTimeoutMs: opts.pongTimeoutMs }),
      ...(opts.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: opts.helloTimeoutMs }),
      ...(opts.backoff === undefined ? {} : { backoff: opts.backoff }),
    });
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  private async deliver(e: SocketEnvelope, ack: (payload?: unknown) => Promise<void>): Promise<void> {
    const body = e.payload ?? {};
    const byEnvelope = this.dedupe.seen(`envelope:${e.envelope_id}`);
    // Without an event or trigger id the HTTP key falls back to the command text: not an identity here.
    const key = deliveryKey(body, '');
    const byBody = !key.startsWith('command:') && this.dedupe.seen(key);
    if (byEnvelope || byBody || !this.app) {
      this.opts.logger.info(
        { envelope: e.envelope_id, retryAttempt: e.retry_attempt, retryReason: e.retry_reason },
        'slack: redelivery ignored',
      );
      await ack().catch(() => undefined);
      return;
    }
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ...(e.retry_attempt === undefined ? {} : { retryNum: e.retry_attempt }),
      ...(e.retry_reason === undefined ? {} : { retryReason: e.retry_reason }),
      ack: async (response?: unknown): Promise<void> => {
        if (acked) return;
        acked = true;
        await ack(response === undefined || response === '' ? undefined : response);
      },
    };
    try {
      await this.app.processEvent(event);
    } catch (err) {
      this.opts.logger.error({ err }, 'slack: event failed');
    }
    if (!acked) await event.ack().catch(() => undefined);
  }
}
