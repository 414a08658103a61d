import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLogFile } from '../adapters/local-runtime/log-reader.js';
import { startHttpServer } from '../app/http-server.js';
import { openEventStream } from '../app/web/event-stream.js';
import { LogHub } from '../app/web/log-hub.js';
import { silentLogger } from '../core/ports/logger.js';
import type { Heap } from './heap.js';
import type { MeasureReport, Progress } from './report.js';
import { percentile } from './stats.js';
import type { Table } from './table.js';

export interface SseOptions {
  readonly lines: number;
  readonly lineEveryMs: number;
  readonly clients: number;
  readonly pollMs: number;
}

interface Figures {
  readonly sse: { p50: number; p99: number; n: number };
  readonly polling: { p50: number; p99: number; n: number };
  readonly memory: { sseMiB: number; pollingMiB: number; clients: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

/** One SSE reader (what an EventSource does): every `log` line's delay after it was written. */
const sseClient = async (url: string, signal: AbortSignal, onLine: (line: string) => void): Promise<void> => {
  const res = await fetch(url, { signal });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value as Uint8Array, { stream: true });
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        if (!block.includes('event: log\n')) continue;
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) onLine((JSON.parse(data.slice(6)) as { line: string }).line);
      }
    }
  } catch {
    /* aborted */
  }
};

/** The log line `at <ms since epoch>`: its delay now. */
const delayOf = (line: string): number | undefined => {
  const m = /^at (\d+(?:\.\d+)?)$/.exec(line);
  return m ? now() - Number(m[1]) : undefined;
};

/**
 * 5. Live logs on the web page: from an agent appending a line to its log file to a client of
 * `GET /events` receiving it (the local runtime's file follower, the shared log reader, the
 * SSE stream), against a naive page that polls the whole log over HTTP every second; and the
 * memory of `clients` connected SSE clients against as many pollers.
 */
export const measureWebSse = async (
  o: SseOptions,
  heap: Heap,
  progress: Progress,
): Promise<MeasureReport<Figures>> => {
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-bench-sse-'));
  const log = join(dir, 'run.log');
  await writeFile(log, '');
  let ended = false;
  const hub = new LogHub((_i, _a, signal) =>
    Promise.resolve(followLogFile(log, () => Promise.resolve(ended), signal, 250)),
  );
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    routes: {
      'GET /events': (req, res) =>
        openEventStream({
          req,
          res,
          watch: [{ issue: 'o/r#1', attempt: 'a1' }],
          cursor: { dash: 0, logs: [0] },
          logs: hub,
        }),
      'GET /log': async (_req, res) => {
        const text = await readFile(log, 'utf8');
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(text);
      },
    },
  });
  const ac = new AbortController();
  try {
    const base = heap.sample();
    const sseDelays: number[] = [];
    progress(`web sse: ${o.clients} SSE clients, ${o.lines} lines every ${o.lineEveryMs} ms`);
    for (let i = 0; i < o.clients; i++)
      void sseClient(`${http.url}/events`, ac.signal, (line) => {
        const d = delayOf(line);
        if (d !== undefined && i === 0) sseDelays.push(d);
      });
    await sleep(500);
    const withSse = heap.sample();
    for (let i = 0; i < o.lines; i++) {
      await appendFile(log, `at ${now()}\n`);
      await sleep(o.lineEveryMs);
    }
    await sleep(1_000);
    ac.abort();
    await sleep(200);
    // The naive page: poll the whole log every second and diff it.
    progress(`web sse: ${o.clients} pollers every ${o.pollMs} ms`);
    await writeFile(log, '');
    const pollDelays: number[] = [];
    const stop = new AbortController();
    const pollers = Array.from({ length: o.clients }, async (_, i) => {
      let seen = 0;
      while (!stop.signal.aborted) {
        const text = await (await fetch(`${http.url}/log`)).text().catch(() => '');
        const lines = text.split('\n').filter(Boolean);
        if (i === 0) for (const l of lines.slice(seen)) pollDelays.push(delayOf(l) ?? 0);
        seen = lines.length;
        await sleep(o.pollMs);
      }
    });
    await sleep(500);
    let pollingPeak = heap.sample();
    for (let i = 0; i < o.lines; i++) {
      await appendFile(log, `at ${now()}\n`);
      await sleep(o.lineEveryMs);
      if (i % 20 === 0) {
        const s = heap.sample();
        if (s.heapUsed > pollingPeak.heapUsed) pollingPeak = s;
      }
    }
    await sleep(o.pollMs + 200);
    stop.abort();
    await Promise.all(pollers);
    ended = true;
    const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length });
    const mib = (b: number): number => Math.round((b / 1024 ** 2) * 10) / 10;
    const figures: Figures = {
      sse: summary(sseDelays),
      polling: summary(pollDelays),
      memory: {
        sseMiB: mib(withSse.heapUsed - base.heapUsed),
        pollingMiB: mib(pollingPeak.heapUsed - base.heapUsed),
        clients: o.clients,
      },
    };
    const table: Table = {
      title: `5. Live log on the web page (agent appends a line -> client receives it), ${o.clients} clients`,
      columns: [
        { header: 'delivery' },
        { header: 'n' },
        { header: 'p50 ms' },
        { header: 'p99 ms' },
        { header: 'heap MiB' },
      ],
      rows: [
        [
          'k3sc: file follower -> shared reader -> SSE',
          String(figures.sse.n),
          figures.sse.p50.toFixed(0),
          figures.sse.p99.toFixed(0),
          String(figures.memory.sseMiB),
        ],
        [
          `naive: poll the whole log every ${o.pollMs / 1000} s`,
          String(figures.polling.n),
          figures.polling.p50.toFixed(0),
          figures.polling.p99.toFixed(0),
          String(figures.memory.pollingMiB),
        ],
      ],
      notes: [
        "latency measured at one of the clients; the SSE path is bounded by the local runtime's 250 ms file poll",
        'heap: growth over the idle server with every client connected (clients run in the same process, so their share is included for both rows)',
      ],
    };
    const findings = figures.sse.p99 > 1_000 ? [`SSE p99 ${figures.sse.p99.toFixed(0)} ms exceeds 1 s`] : [];
    return { tables: [table], figures, findings };
  } finally {
    ac.abort();
    await http.close();
    await rm(dir, { recursive: true, force: true });
  }
};
