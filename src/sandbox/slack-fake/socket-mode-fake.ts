import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One acknowledgement a client sent back over a socket. */
export interface SocketAck {
  readonly envelopeId: string;
  readonly payload: unknown;
  /** Which connection (1-based, in opening order) carried the ack. */
  readonly connection: number;
}

export interface SocketModeFake {
  /** `apps.connections.open`: a fresh ws:// URL for an app-level token (`xapp-…`). */
  open(authorization: string | undefined): { status: number; body: unknown };
  /** The HTTP server's `upgrade` handler for those URLs. */
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Sockets open now, the most ever open at once, and every one ever opened. */
  openSockets(): number;
  readonly maxOpenSockets: () => number;
  readonly connections: () => number;
  readonly acks: readonly SocketAck[];
  /** Sends an envelope on the newest open socket; returns its envelope id. */
  send(envelope: { type: string; payload: unknown; envelope_id?: string; retry_attempt?: number }): string;
  /** A `/k3sc <text>` slash command envelope (fields as in `slashCommandBody`). */
  slashCommand(text: string, fields?: Record<string, string>, envelopeId?: string): string;
  /** Sends `disconnect` (reason `refresh_requested`) on the newest socket and keeps it open for a while, as Slack does. */
  refresh(): void;
  /** Drops the newest socket without a close frame (a dead network). */
  killSocket(): void;
  /** The newest socket stops answering pings (and stays open): a half-open connection. */
  silence(): void;
  /** Refuse new connections (`apps.connections.open` answers 503 until turned back on). */
  acceptConnections(on: boolean): void;
  /** Resolves when `pred` holds (checked on every socket event). */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Slack's Socket Mode, for tests and the demo: `apps.connections.open` hands out a ws:// URL on
 * the fake's own port; the socket says `hello`, carries envelopes (each with an `envelope_id`),
 * records the client's acks, and can be refreshed (`disconnect` / `refresh_requested`), killed,
 * or made half-open (pings unanswered).
 */
export const socketModeFake = (opts: {
  baseUrl: () => string;
  responseUrl: () => string;
  appId?: string;
}): SocketModeFake => {
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const open: { ws: WebSocket; n: number }[] = [];
  const acks: SocketAck[] = [];
  const waiters = new Set<() => void>();
  const tickets = new Set<string>();
  let opened = 0;
  let maxOpen = 0;
  let seq = 0;
  const silent = new Set<number>();
  let accepting = true;
  const changed = (): void => {
    for (const w of [...waiters]) w();
  };
  const newest = (): { ws: WebSocket; n: number } => {
    const c = open.at(-1);
    if (!c) throw new Error('socket mode fake: no socket is open');
    return c;
  };
  wss.on('connection', (ws: WebSocket) => {
    const conn = { ws, n: ++opened };
    open.push(conn);
    maxOpen = Math.max(maxOpen, open.length);
    ws.on('ping', (data: Buffer) => {
      if (!silent.has(conn.n)) ws.pong(data);
    });
    ws.on('message', (data: Buffer) => {
      try {
        const m = JSON.parse(data.toString('utf8')) as { envelope_id?: string; payload?: unknown };
        if (typeof m.envelope_id === 'string')
          acks.push({ envelopeId: m.envelope_id, payload: m.payload, connection: conn.n });
      } catch {
        /* not JSON: ignored, like Slack */
      }
      changed();
    });
    ws.on('close', () => {
      open.splice(open.indexOf(conn), 1);
      changed();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'fake-socket', approximate_connection_time: 18_060 },
        connection_info: { app_id: opts.appId ?? 'A0FAKE' },
      }),
    );
    changed();
  });
  const send: SocketModeFake['send'] = (e) => {
    const envelope_id = e.envelope_id ?? `env-${++seq}`;
    newest().ws.send(JSON.stringify({ accepts_response_payload: true, retry_attempt: 0, ...e, envelope_id }));
    return envelope_id;
  };
  return {
    open: (authorization) => {
      if (!authorization?.startsWith('Bearer xapp-'))
        return { status: 200, body: { ok: false, error: 'not_allowed_token_type' } };
      if (!accepting) return { status: 503, body: { ok: false, error: 'service_unavailable' } };
      const ticket = `t${++seq}`;
      tickets.add(ticket);
      return {
        status: 200,
        body: { ok: true, url: `${opts.baseUrl().replace('http', 'ws')}/link/?ticket=${ticket}` },
      };
    },
    upgrade: (req, socket, head) => {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      if (!tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    openSockets: () => open.length,
    maxOpenSockets: () => maxOpen,
    connections: () => opened,
    acks,
    send,
    slashCommand: (text, fields = {}, envelopeId) =>
      send({
        type: 'slash_commands',
        ...(envelopeId === undefined ? {} : { envelope_id: envelopeId }),
        payload: {
          token: 'deprecated',
          team_id: 'T0FAKE',
          channel_id: 'C0FAKE',
          user_id: 'U0FAKE',
          user_name: 'alice',
          command: '/k3sc',
          text,
          api_app_id: opts.appId ?? 'A0FAKE',
          response_url: opts.responseUrl(),
          trigger_id: `trig-${++seq}`,
          ...fields,
        },
      }),
    refresh: () => {
      const c = newest();
      c.ws.send(
        JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake' } }),
      );
      // Slack closes the old socket about 10 s later; a client should not wait for that.
      setTimeout(() => c.ws.close(1000), 10_000).unref();
    },
    killSocket: () => newest().ws.terminate(),
    silence: () => void silent.add(newest().n),
    acceptConnections: (on) => void (accepting = on),
    waitFor: (pred, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pred()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`socket mode fake: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => {
      for (const c of [...open]) c.ws.terminate();
      wss.close();
    },
  };
};
