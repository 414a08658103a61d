import { WebSocket } from 'ws';
import type { Logger } from '../../../core/ports/logger.js';
import { DEFAULT_BACKOFF, reconnectDelay, type ReconnectBackoff } from '../shared/reconnect-backoff.js';

/** One message Slack sends over the socket that carries work (it has an `envelope_id`). */
export interface SocketEnvelope {
  readonly envelope_id: string;
  readonly type: string;
  readonly payload?: Record<string, unknown>;
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

export interface SocketConnectionOptions {
  /** `apps.connections.open` with the app-level token: a fresh single-use ws:// URL. */
  readonly openUrl: () => Promise<string>;
  readonly onEnvelope: (e: SocketEnvelope, ack: (payload?: unknown) => Promise<void>) => void;
  readonly logger: Logger;
  /** The watchdog pings this often, and drops the socket when a pong takes longer than `pongTimeoutMs`. */
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  /** A socket that has not said `hello` by then is dropped. */
  readonly helloTimeoutMs?: number;
  readonly backoff?: ReconnectBackoff;
  /** An error for which reconnecting is pointless (a bad token): start() throws it. */
  readonly isFatal?: (err: unknown) => boolean;
}

const isHello = (data: Buffer): boolean => {
  try {
    return (JSON.parse(data.toString('utf8')) as { type?: unknown }).type === 'hello';
  } catch {
    return false;
  }
};

/**
 * Slack Socket Mode's connection, kept up: one socket at a time, a ping/pong watchdog on that
 * socket (a half-open connection is noticed even when no event is due), reconnects with capped
 * back-off and jitter, and Slack's `disconnect` (`refresh_requested`, …) handled by opening the
 * new socket first and closing the old one only once the new one said `hello`.
 */
export class SlackSocketConnection {
  private active: WebSocket | undefined;
  private connecting = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly opts: SocketConnectionOptions) {}

  /** Connects once; a failure other than a fatal one is retried in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.connect();
    } catch (err) {
      if (this.opts.isFatal?.(err)) throw err;
      this.retryLater(err);
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    const closing = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(() => ws.terminate(), 1_000).unref();
        }),
    );
    this.active = undefined;
    return Promise.all(closing).then(() => undefined);
  }

  /** True while a socket is connected and said hello. */
  get connected(): boolean {
    return this.active?.readyState === WebSocket.OPEN;
  }

  /** Opens a new socket; when it says hello it replaces (and closes) the current one. */
  private async connect(): Promise<void> {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    try {
      const ws = await this.open(await this.opts.openUrl());
      if (this.stopped) {
        ws.close(1000);
        return;
      }
      const old = this.active;
      this.active = ws;
      this.attempt = 0;
      this.watch(ws);
      this.opts.logger.info({ replaced: old !== undefined }, 'slack: socket mode connected');
      old?.close(1000);
    } finally {
      this.connecting = false;
    }
  }

  private open(url: string): Promise<WebSocket> {
    const ws = new WebSocket(url);
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (this.active !== ws) return;
      this.active = undefined;
      clearInterval(this.watchdog);
      this.retryLater(new Error('socket closed'));
    });
    ws.on('error', (err) => this.opts.logger.warn({ err: err.message }, 'slack: socket error'));
    ws.on('message', (data: Buffer) => this.onMessage(ws, data));
    return new Promise<WebSocket>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        ws.off('message', hello);
        ws.terminate();
        reject(new Error(`slack: socket ${why} before hello`));
      };
      const timer = setTimeout(() => fail('timed out'), this.opts.helloTimeoutMs ?? 10_000);
      const hello = (data: Buffer): void => {
        if (!isHello(data)) return;
        clearTimeout(timer);
        ws.off('close', closed);
        resolve(ws);
      };
      const closed = (): void => fail('closed');
      ws.on('message', hello);
      ws.once('close', closed);
    });
  }

  private onMessage(ws: WebSocket, data: Buffer): void {
    let m: Partial<SocketEnvelope> & { reason?: string };
    try {
      m = JSON.parse(data.toString('utf8')) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'disconnect') {
      this.opts.logger.info({ reason: m.reason }, 'slack: socket refresh requested');
      if (ws === this.active) void this.connect().catch((err: unknown) => this.retryLater(err));
      return;
    }
    if (typeof m.envelope_id !== 'string') return;
    const id = m.envelope_id;
    const ack = (payload?: unknown): Promise<void> => {
      // Ack on the socket it came on; if that one is gone, on the current one.
      const via = ws.readyState === WebSocket.OPEN ? ws : this.active;
      if (!via) return Promise.reject(new Error('slack: no socket to acknowledge on'));
      const body = JSON.stringify({ envelope_id: id, ...(payload === undefined ? {} : { payload }) });
      return new Promise((resolve, reject) => via.send(body, (err) => (err ? reject(err) : resolve())));
    };
    this.opts.onEnvelope(m as SocketEnvelope, ack);
  }

  /** The watchdog: a ping every interval; no pong in time means a dead or half-open socket. */
  private watch(ws: WebSocket): void {
    clearInterval(this.watchdog);
    let pending: NodeJS.Timeout | undefined;
    ws.on('pong', () => {
      clearTimeout(pending);
      pending = undefined;
    });
    ws.once('close', () => clearTimeout(pending));
    this.watchdog = setInterval(() => {
      if (pending !== undefined || ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      pending = setTimeout(() => {
        this.opts.logger.warn({}, 'slack: no pong in time; dropping the socket');
        ws.terminate();
      }, this.opts.pongTimeoutMs ?? 5_000);
    }, this.opts.pingIntervalMs ?? 10_000);
  }

  private retryLater(err: unknown): void {
    if (this.stopped || this.retryTimer !== undefined || this.connecting) return;
    this.attempt += 1;
    const delay = reconnectDelay(this.attempt, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.opts.logger.warn(
      { attempt: this.attempt, delayMs: delay, err: err instanceof Error ? err.message : String(err) },
      'slack: socket mode reconnecting',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((e: unknown) => this.retryLater(e));
    }, delay);
  }
}
