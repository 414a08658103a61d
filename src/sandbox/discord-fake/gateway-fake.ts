import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

interface Packet {
  readonly op: number;
  readonly d?: unknown;
  readonly s?: number | null;
  readonly t?: string | null;
}

interface Session {
  readonly id: string;
  seq: number;
  /** Every dispatch of this session, for RESUME to replay what a dropped socket missed. */
  readonly sent: Packet[];
  ws: WebSocket | undefined;
}

export interface DiscordGatewayFake {
  /** `GET /gateway/bot` for a bot token. */
  gatewayBot(auth: string | undefined): [number, unknown];
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Sockets open now, the most ever open at once, and connections ever made. */
  openSockets(): number;
  maxOpenSockets(): number;
  connections(): number;
  /** IDENTIFY and RESUME payloads received, in order. */
  readonly identifies: readonly unknown[];
  readonly resumes: readonly unknown[];
  /** Dispatches INTERACTION_CREATE on the current session (queued for RESUME when its socket is down). */
  interaction(data: Record<string, unknown>): void;
  /** Drops the current socket without a close frame. */
  killSocket(): void;
  /** The current socket stops acknowledging heartbeats (stays open): a zombie connection. */
  silence(): void;
  /** Refuse (503) or accept new gateway connections. */
  acceptConnections(on: boolean): void;
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Discord's gateway, for tests and the demo: `GET /gateway/bot` points at a ws:// URL on the
 * fake's port; HELLO, IDENTIFY → READY, HEARTBEAT → HEARTBEAT_ACK, RESUME → the missed
 * dispatches and RESUMED, and INTERACTION_CREATE. Sockets can be killed or stop acking.
 */
export const discordGatewayFake = (opts: {
  baseUrl: () => string;
  botToken: string;
  applicationId: string;
  heartbeatIntervalMs?: number;
}): DiscordGatewayFake => {
  const wss = new WebSocketServer({ noServer: true });
  const sessions = new Map<string, Session>();
  const open = new Set<WebSocket>();
  const silent = new Set<WebSocket>();
  const identifies: unknown[] = [];
  const resumes: unknown[] = [];
  const waiters = new Set<() => void>();
  let current: Session | undefined;
  let opened = 0;
  let maxOpen = 0;
  let sessionSeq = 0;
  let accepting = true;
  const url = (): string => `${opts.baseUrl().replace('http', 'ws')}/gateway`;
  const changed = (): void => {
    for (const w of [...waiters]) w();
  };
  const write = (ws: WebSocket, p: Packet): void => ws.send(JSON.stringify(p));
  const dispatch = (s: Session, t: string, d: unknown): void => {
    const p: Packet = { op: 0, t, s: ++s.seq, d };
    s.sent.push(p);
    if (s.ws) write(s.ws, p);
  };
  const onPacket = (ws: WebSocket, p: Packet): void => {
    const d = (p.d ?? {}) as Record<string, unknown>;
    if (p.op === 1) {
      if (!silent.has(ws)) write(ws, { op: 11 });
    } else if (p.op === 2) {
      identifies.push(p.d);
      if (d['token'] !== opts.botToken) return void ws.close(4004, 'Authentication failed.');
      const s: Session = { id: `sess-${++sessionSeq}`, seq: 0, sent: [], ws };
      sessions.set(s.id, s);
      current = s;
      dispatch(s, 'READY', {
        v: 10,
        user: { id: '700000000000000007', username: 'k3sc', discriminator: '0', bot: true, avatar: null },
        guilds: [],
        session_id: s.id,
        resume_gateway_url: url(),
        shard: [0, 1],
        application: { id: opts.applicationId, flags: 0 },
      });
    } else if (p.op === 6) {
      resumes.push(p.d);
      const s = sessions.get(String(d['session_id']));
      if (!s || d['token'] !== opts.botToken) return void write(ws, { op: 9, d: false });
      s.ws = ws;
      current = s;
      const after = typeof d['seq'] === 'number' ? d['seq'] : 0;
      for (const missed of s.sent.filter((x) => (x.s ?? 0) > after)) write(ws, missed);
      dispatch(s, 'RESUMED', {});
    }
    changed();
  };
  wss.on('connection', (ws: WebSocket) => {
    opened += 1;
    open.add(ws);
    maxOpen = Math.max(maxOpen, open.size);
    ws.on('message', (data: Buffer) => {
      try {
        onPacket(ws, JSON.parse(data.toString('utf8')) as Packet);
      } catch {
        ws.close(4002, 'Error while decoding payload.');
      }
    });
    ws.on('close', () => {
      open.delete(ws);
      for (const s of sessions.values()) if (s.ws === ws) s.ws = undefined;
      changed();
    });
    write(ws, { op: 10, d: { heartbeat_interval: opts.heartbeatIntervalMs ?? 41_250 } });
    changed();
  });
  return {
    gatewayBot: (auth) =>
      auth === `Bot ${opts.botToken}`
        ? [
            200,
            {
              url: url(),
              shards: 1,
              session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
            },
          ]
        : [401, { message: '401: Unauthorized', code: 0 }],
    upgrade: (req, socket, head) => {
      if (!(req.url ?? '').startsWith('/gateway')) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      if (!accepting) return void socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    openSockets: () => open.size,
    maxOpenSockets: () => maxOpen,
    connections: () => opened,
    identifies,
    resumes,
    interaction: (data) => {
      if (!current) throw new Error('discord gateway fake: nobody identified yet');
      // Fields the gateway always sends (discord.js reads them).
      dispatch(current, 'INTERACTION_CREATE', {
        entitlements: [],
        authorizing_integration_owners: {},
        app_permissions: '0',
        locale: 'en-US',
        guild_locale: 'en-US',
        ...data,
      });
    },
    killSocket: () => current?.ws?.terminate(),
    silence: () => void (current?.ws && silent.add(current.ws)),
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
          reject(new Error(`discord gateway fake: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => {
      for (const ws of open) ws.terminate();
      wss.close();
    },
  };
};
