import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardFeed } from './dashboard-feed.js';
import type { LogHub } from './log-hub.js';
import { formatCursor, overBudget, pendingLines, sseFrame, type StreamCursor } from './sse-cursor.js';

export interface Watched {
  readonly issue: string;
  readonly attempt: string;
}

export interface EventStreamOptions {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly watch: readonly Watched[];
  /** Where this client starts (its `Last-Event-ID`, else the page's own starting point). */
  readonly cursor: StreamCursor;
  readonly logs: LogHub;
  /** Absent for a page that shows no dashboard. */
  readonly dashboard?: DashboardFeed;
  readonly heartbeatMs?: number;
  /** Unsent bytes past which the client is cut off (it resumes from its last id). */
  readonly bufferLimit?: number;
  readonly onClose?: (why: 'gone' | 'slow') => void;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

/**
 * One page's multiplexed stream: the dashboard and the logs it watches. Every frame's id is the
 * full cursor after it. Writes are coalesced; a client that does not read is cut off at
 * `bufferLimit` and, reconnecting with its last id, misses nothing.
 */
export const openEventStream = (o: EventStreamOptions): void => {
  const { res } = o;
  const limit = o.bufferLimit ?? 256 * 1024;
  let dash = o.cursor.dash;
  const sent = o.watch.map((_, i) => o.cursor.logs[i] ?? 0);
  const endSent = o.watch.map(() => false);
  let closed = false;
  let scheduled = false;
  res.writeHead(200, SSE_HEADERS);
  res.write('retry: 3000\n\n');
  const subs = o.watch.map((w) => o.logs.subscribe(w.issue, w.attempt, () => schedule()));
  const offDash = o.dashboard?.subscribe(() => schedule());
  const id = (): string => formatCursor({ dash, logs: sent });
  const close = (why: 'gone' | 'slow'): void => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    for (const s of subs) s.off();
    offDash?.();
    if (why === 'slow') res.destroy();
    o.onClose?.(why);
  };
  /** Writes one frame; false once the client is over budget (then it is cut off). */
  const write = (frame: string): boolean => {
    res.write(frame);
    if (!overBudget(res.writableLength, limit)) return true;
    close('slow');
    return false;
  };
  const flush = (): void => {
    scheduled = false;
    if (closed) return;
    const feed = o.dashboard;
    if (feed && feed.seq > dash && feed.current !== '') {
      dash = feed.seq;
      if (!write(sseFrame({ id: id(), event: 'dashboard', data: feed.current }))) return;
    }
    for (const [w, sub] of subs.entries()) {
      const view = sub.view();
      const { from, to } = pendingLines(view.lines.length, sent[w] ?? 0);
      for (let i = from; i < to; i++) {
        sent[w] = i + 1;
        const data = JSON.stringify({ w, n: i + 1, line: view.lines[i] ?? '' });
        if (!write(sseFrame({ id: id(), event: 'log', data }))) return;
      }
      if (view.ended && !endSent[w] && (sent[w] ?? 0) >= view.lines.length) {
        endSent[w] = true;
        const data = JSON.stringify({ w, ...(view.error ? { error: view.error } : {}) });
        if (!write(sseFrame({ id: id(), event: 'log-end', data }))) return;
      }
    }
  };
  function schedule(): void {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(flush);
  }
  const beat = setInterval(() => {
    if (!closed) write(': heartbeat\n\n');
  }, o.heartbeatMs ?? 15_000);
  beat.unref();
  o.req.on('close', () => close('gone'));
  res.on('error', () => close('gone'));
  schedule();
};
