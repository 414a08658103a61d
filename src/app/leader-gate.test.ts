import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/ports/logger.js';
import { runWhileLeader, type LeaderGate } from './leader-gate.js';

/** A gate the test elects and deposes by hand. */
const manualGate = () => {
  let leading: AbortController | undefined;
  let waiters: (() => void)[] = [];
  const gate: LeaderGate = {
    identity: 'me',
    isLeader: () => leading !== undefined && !leading.signal.aborted,
    async whenLeading(signal) {
      while (!signal.aborted) {
        if (gate.isLeader()) return leading!.signal;
        await new Promise<void>((r) => {
          waiters.push(r);
          signal.addEventListener('abort', () => r(), { once: true });
        });
      }
      return undefined;
    },
    run: (signal) => new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true })),
  };
  return {
    gate,
    elect: () => {
      leading = new AbortController();
      for (const w of waiters.splice(0)) w();
      waiters = [];
    },
    depose: () => leading?.abort(),
  };
};

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('runWhileLeader', () => {
  it('runs the loop only while leading, stops it when deposed, resumes on re-election', async () => {
    const g = manualGate();
    const ctl = new AbortController();
    const runs: string[] = [];
    const done = runWhileLeader(
      g.gate,
      ctl.signal,
      async (s) => {
        runs.push('start');
        await new Promise<void>((r) => s.addEventListener('abort', () => r(), { once: true }));
        runs.push('stop');
      },
      silentLogger,
    );
    await tick();
    expect(runs).toEqual([]); // a follower performs no side effects
    g.elect();
    await tick();
    expect(runs).toEqual(['start']);
    g.depose();
    await tick();
    expect(runs).toEqual(['start', 'stop']);
    g.elect();
    await tick();
    expect(runs).toEqual(['start', 'stop', 'start']);
    ctl.abort();
    await done;
    expect(runs).toEqual(['start', 'stop', 'start', 'stop']);
  });

  it('on shutdown releases the Lease only after the loop has stopped (its last writes included)', async () => {
    const g = manualGate();
    const order: string[] = [];
    const gate: LeaderGate = {
      ...g.gate,
      run: (signal) =>
        new Promise<void>((r) =>
          signal.addEventListener('abort', () => (order.push('release'), r()), { once: true }),
        ),
    };
    const ctl = new AbortController();
    const done = runWhileLeader(
      gate,
      ctl.signal,
      async (s) => {
        await new Promise<void>((r) => s.addEventListener('abort', () => r(), { once: true }));
        await tick(); // the pass in flight finishes within its grace
        order.push('loop stopped');
      },
      silentLogger,
    );
    g.elect();
    await tick();
    ctl.abort();
    await done;
    expect(order).toEqual(['loop stopped', 'release']);
  });
});
