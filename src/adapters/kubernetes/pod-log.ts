import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { jitteredBackoff, type Backoff } from './watch-backoff.js';

/** Where log lines come from: `pods/log` with `timestamps=true` (each line starts with RFC3339Nano). */
export interface LogSource {
  follow(pod: string, opts: { sinceTime?: string; signal: AbortSignal }): AsyncIterable<string>;
}

/** The real source: client-node's Log (one streaming pods/log request per call). */
export const podLogSource = (kc: KubeConfig, namespace: string, container: string): LogSource => ({
  async *follow(pod, { sinceTime, signal }) {
    const out = new PassThrough();
    const ctl = await new Log(kc).log(namespace, pod, container, out, {
      follow: true,
      timestamps: true,
      ...(sinceTime === undefined ? {} : { sinceTime }),
    });
    const onAbort = (): void => {
      ctl.abort();
      out.end();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const line of createInterface({ input: out, crlfDelay: Infinity })) yield line;
    } finally {
      signal.removeEventListener('abort', onAbort);
      ctl.abort();
    }
  },
});

/** `2026-12-01T10:00:01.123456789Z` → nanoseconds since the epoch (for ordering). */
const nanosOf = (ts: string): bigint | undefined => {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (m === null) return undefined;
  const secs = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(secs)) return undefined;
  return BigInt(secs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
};

const split = (raw: string): { ts?: string; at?: bigint; text: string } => {
  const space = raw.indexOf(' ');
  const ts = space > 0 ? raw.slice(0, space) : raw;
  const at = nanosOf(ts);
  return at === undefined ? { text: raw } : { ts, at, text: raw.slice(space + 1) };
};

export interface FollowOptions {
  readonly source: LogSource;
  /** The pod whose log to follow now (the newest of the attempt), or undefined while there is none. */
  readonly podOf: () => Promise<string | undefined>;
  /** True once the run has ended: a stream that ends then is the end of the log. */
  readonly ended: () => Promise<boolean>;
  readonly signal: AbortSignal;
  readonly backoff?: Backoff;
}

/**
 * Follows a pod's log across dropped streams without replaying it: each reconnect asks from
 * the last line's second (`sinceTime`) and skips the lines of that second already given.
 */
export async function* followPodLog(o: FollowOptions): AsyncGenerator<string> {
  const backoff = o.backoff ?? jitteredBackoff(250, 5_000);
  let pod: string | undefined;
  let last: bigint | undefined;
  let lastTs: string | undefined;
  let atLast = 0;
  let final = false;
  while (!o.signal.aborted) {
    const now = await o.podOf();
    if (now !== pod) [pod, last, lastTs, atLast] = [now, undefined, undefined, 0];
    if (pod !== undefined) {
      let skip = atLast;
      try {
        const since = lastTs === undefined ? undefined : `${lastTs.slice(0, 19)}Z`;
        for await (const raw of o.source.follow(pod, {
          signal: o.signal,
          ...(since === undefined ? {} : { sinceTime: since }),
        })) {
          const line = split(raw);
          if (line.at !== undefined && last !== undefined) {
            if (line.at < last) continue;
            if (line.at === last && skip > 0) {
              skip--;
              continue;
            }
          }
          if (line.at !== undefined) {
            atLast = line.at === last ? atLast + 1 : 1;
            [last, lastTs] = [line.at, line.ts];
            skip = 0;
          }
          backoff.reset();
          yield line.text;
        }
      } catch {
        // a dropped stream: reconnect below
      }
    }
    if (o.signal.aborted || final) return;
    // Once the run has ended, one more pass reads what a dropped stream missed, then stop.
    if (await o.ended()) {
      final = true;
      continue;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, backoff.next());
      o.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

/**
 * A pod's log (whole, or its last `tailLines`) through client-node's Log; the generated
 * `readNamespacedPodLog` cannot parse the API server's plain-text errors. 400 (no container
 * started yet), 204 (not on a node yet) and 404 (pod gone) read as an empty log.
 */
export const readPodLog = async (
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  tailLines?: number,
): Promise<string> => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  try {
    await new Log(kc).log(namespace, pod, container, out, {
      follow: false,
      ...(tailLines === undefined ? {} : { tailLines }),
    });
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 204 || code === 400 || code === 404) return '';
    throw err;
  }
  await ended;
  return Buffer.concat(chunks).toString('utf8');
};
