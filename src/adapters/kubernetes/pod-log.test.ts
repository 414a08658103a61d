import { describe, expect, it } from 'vitest';
import { followPodLog, type LogSource } from './pod-log.js';

const noWait = { next: () => 0, reset: () => undefined };

/** A pod log whose n-th stream drops after `drops[n]` lines, honouring sinceTime like the kubelet. */
const flakySource = (lines: readonly string[], drops: readonly number[]) => {
  const requests: (string | undefined)[] = [];
  const source: LogSource = {
    async *follow(_pod, { sinceTime }) {
      requests.push(sinceTime);
      const from = sinceTime === undefined ? 0 : Date.parse(sinceTime);
      const dropAfter = drops[requests.length - 1] ?? Infinity;
      let sent = 0;
      for (const l of lines) {
        if (Date.parse(l.slice(0, l.indexOf(' '))) < from) continue;
        if (sent++ === dropAfter) throw new Error('stream dropped');
        await Promise.resolve();
        yield l;
      }
    },
  };
  return { source, requests };
};

const collect = async (it: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
};

describe('followPodLog', () => {
  it('resumes after drops without replaying or losing a line (same-second lines too)', async () => {
    const lines = [
      '2026-12-01T10:00:00.100Z one',
      '2026-12-01T10:00:01.100000000Z two',
      '2026-12-01T10:00:01.100000000Z two again',
      '2026-12-01T10:00:01.9Z three',
      '2026-12-01T10:00:02.5Z four',
      '2026-12-01T10:00:03Z five',
    ];
    const { source, requests } = flakySource(lines, [2, 2, 3]);
    let polls = 0;
    const got = await collect(
      followPodLog({
        source,
        podOf: () => Promise.resolve('p1'),
        ended: () => Promise.resolve(++polls > 4),
        signal: new AbortController().signal,
        backoff: noWait,
      }),
    );
    expect(got).toEqual(['one', 'two', 'two again', 'three', 'four', 'five']);
    // every reconnect asked from the last line's second, never from the start
    expect(requests[0]).toBeUndefined();
    expect(requests.slice(1).every((r) => r !== undefined)).toBe(true);
    expect(requests[1]).toBe('2026-12-01T10:00:01Z');
  });

  it('starts afresh on a new pod (a replacement after a disruption)', async () => {
    const pods = ['p1', 'p2'];
    const source: LogSource = {
      async *follow(pod) {
        await Promise.resolve();
        yield `2026-12-01T10:00:00Z from ${pod}`;
      },
    };
    let n = 0;
    const got = await collect(
      followPodLog({
        source,
        podOf: () => Promise.resolve(pods[Math.min(n++, 1)]),
        ended: () => Promise.resolve(n > 2),
        signal: new AbortController().signal,
        backoff: noWait,
      }),
    );
    // the same line of p2 is not given twice
    expect(got).toEqual(['from p1', 'from p2']);
  });

  it('stops when aborted', async () => {
    const ctl = new AbortController();
    const source: LogSource = {
      async *follow() {
        await Promise.resolve();
        yield '2026-12-01T10:00:00Z a';
        ctl.abort();
        yield '2026-12-01T10:00:01Z b';
      },
    };
    const got = await collect(
      followPodLog({
        source,
        podOf: () => Promise.resolve('p'),
        ended: () => Promise.resolve(false),
        signal: ctl.signal,
        backoff: noWait,
      }),
    );
    expect(got[0]).toBe('a');
  });
});
