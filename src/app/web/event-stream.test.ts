import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardFeed } from './dashboard-feed.js';
import { openEventStream } from './event-stream.js';
import { LogHub } from './log-hub.js';
import { parseCursor } from './sse-cursor.js';

/** A log source the test writes to: `followLogs` from the first line, ending on `end()`. */
const source = () => {
  const lines: string[] = [];
  let ended = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const w of wakers) w();
  };
  return {
    push: (...l: string[]) => {
      lines.push(...l);
      wake();
    },
    end: () => {
      ended = true;
      wake();
    },
    follow: (_issue: string, _attempt: string, signal: AbortSignal) =>
      Promise.resolve(
        (async function* () {
          let i = 0;
          while (!signal.aborted) {
            if (i < lines.length) yield lines[i++]!;
            else if (ended) return;
            else await new Promise<void>((r) => wakers.add(r));
          }
        })(),
      ),
  };
};

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s();
});

const serveStream = async (hub: LogHub, feed?: DashboardFeed): Promise<string> => {
  const server = createServer((req, res) => {
    const last = req.headers['last-event-id'];
    openEventStream({
      req,
      res,
      watch: [{ issue: 'o/r#1', attempt: 'a1' }],
      cursor: parseCursor(typeof last === 'string' ? last : undefined, 1) ?? { dash: 0, logs: [0] },
      logs: hub,
      ...(feed ? { dashboard: feed } : {}),
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
};

interface Frame {
  id?: string;
  event?: string;
  data: string;
}

/** Reads frames until `stop` says so, then drops the connection (as a network cut would). */
const readFrames = async (
  url: string,
  stop: (frames: Frame[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ frames: Frame[]; head: Headers; raw: string }> => {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  const reader = res.body!.getReader();
  const frames: Frame[] = [];
  let raw = '';
  let buf = '';
  while (!stop(frames)) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = new TextDecoder().decode(value as Uint8Array);
    raw += text;
    buf += text;
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const f: Frame = { data: '' };
      const data: string[] = [];
      for (const l of block.split('\n')) {
        if (l.startsWith('id: ')) f.id = l.slice(4);
        else if (l.startsWith('event: ')) f.event = l.slice(7);
        else if (l.startsWith('data: ')) data.push(l.slice(6));
      }
      f.data = data.join('\n');
      if (f.event) frames.push(f);
    }
  }
  ac.abort();
  return { frames, head: res.headers, raw };
};

const logLines = (frames: Frame[]): string[] =>
  frames.filter((f) => f.event === 'log').map((f) => (JSON.parse(f.data) as { line: string }).line);

describe('the event stream resumes exactly', () => {
  it('sends SSE headers, retry, and after a cut resumes from Last-Event-ID with no line lost or repeated', async () => {
    const src = source();
    const hub = new LogHub(src.follow);
    const url = await serveStream(hub);
    src.push('one', 'two', 'three');
    const first = await readFrames(url, (f) => logLines(f).length >= 2);
    expect(first.head.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(first.head.get('cache-control')).toContain('no-cache');
    expect(first.head.get('x-accel-buffering')).toBe('no');
    expect(first.head.get('content-encoding')).toBeNull();
    expect(first.raw.startsWith('retry: 3000\n\n')).toBe(true);
    const got = logLines(first.frames).slice(0, 2);
    const lastId = first.frames.filter((f) => f.event === 'log')[1]!.id!;
    expect(lastId).toBe('0.2');
    src.push('four', 'five');
    src.end();
    const second = await readFrames(url, (f) => f.some((x) => x.event === 'log-end'), {
      'last-event-id': lastId,
    });
    expect([...got, ...logLines(second.frames)]).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('carries the dashboard with its sequence in the same ids', async () => {
    const src = source();
    const hub = new LogHub(src.follow);
    let n = 0;
    const feed = new DashboardFeed(() => Promise.resolve(`<p>v${++n}</p>`));
    const url = await serveStream(hub, feed);
    src.push('x');
    const r = await readFrames(url, (f) => f.some((x) => x.event === 'dashboard') && logLines(f).length > 0);
    const d = r.frames.find((f) => f.event === 'dashboard')!;
    expect(d.data).toMatch(/^<p>v\d+<\/p>$/);
    expect(parseCursor(r.frames.at(-1)!.id, 1)!.dash).toBeGreaterThan(0);
  });
});

/** A response whose socket never drains: every byte written stays buffered. */
class StuckResponse extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  readonly chunks: string[] = [];
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.writableLength += Buffer.byteLength(chunk);
    return false;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('heartbeats', () => {
  it('sends a comment every heartbeatMs and stops when the client goes', async () => {
    const src = source();
    const res = new StuckResponse();
    const req = new EventEmitter();
    openEventStream({
      req: req as unknown as IncomingMessage,
      res: res as unknown as ServerResponse,
      watch: [],
      cursor: { dash: 0, logs: [] },
      logs: new LogHub(src.follow),
      heartbeatMs: 10,
      bufferLimit: 1 << 20,
    });
    await new Promise((r) => setTimeout(r, 60));
    const beats = res.chunks.filter((c) => c === ': heartbeat\n\n').length;
    expect(beats).toBeGreaterThanOrEqual(2);
    req.emit('close');
    await new Promise((r) => setTimeout(r, 40));
    expect(res.chunks.filter((c) => c === ': heartbeat\n\n').length).toBe(beats);
  });
});

describe('a slow client', () => {
  it('is cut off at the buffer limit, and its last id resumes where the cut happened', async () => {
    const src = source();
    const hub = new LogHub(src.follow);
    src.push(...Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(50)}`));
    const res = new StuckResponse();
    const req = new EventEmitter();
    let why = '';
    openEventStream({
      req: req as unknown as IncomingMessage,
      res: res as unknown as ServerResponse,
      watch: [{ issue: 'o/r#1', attempt: 'a1' }],
      cursor: { dash: 0, logs: [0] },
      logs: hub,
      bufferLimit: 2_000,
      onClose: (w) => (why = w),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(why).toBe('slow');
    expect(res.destroyed).toBe(true);
    expect(res.writableLength).toBeLessThan(2_000 + 200);
    expect(hub.readers).toBe(0); // its reader stopped with it
    const ids = res.chunks.filter((c) => c.startsWith('id: ')).map((c) => c.split('\n')[0]!.slice(4));
    const lastLogs = parseCursor(ids.at(-1), 1)!.logs[0]!;
    expect(lastLogs).toBeGreaterThan(0);
    expect(lastLogs).toBeLessThan(200);
  });
});
