import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../core/engine/events.js';
import { testKubeConfig, testNamespace, waitFor } from '../adapters/kubernetes/__tests__/test-kube.js';
import { LeaderElector } from '../adapters/kubernetes/leader-election.js';
import { leaderOnlySink } from './leader-side-effects.js';

/**
 * A leader whose process is paused (SIGSTOP, a long GC pause, a frozen VM) past its renew
 * deadline: when it runs again, its side-effect gate is closed before anything else of it runs,
 * and it never leads at the same time as the replica that took the Lease meanwhile.
 */
const kc = testKubeConfig();
let ns: Awaited<ReturnType<typeof testNamespace>>;
beforeAll(async () => {
  ns = await testNamespace(kc, 'pause');
});
afterAll(() => ns.drop());

const SHORT = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

/** Blocks this whole process (timers, sockets, every elector in it) for `ms`, like SIGSTOP. */
const freeze = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe('leader election: a paused leader', () => {
  it('finds its gate closed as soon as it runs again, before the other replica acquires', async () => {
    const log: { who: string; what: string; at: number }[] = [];
    const elector = (identity: string): LeaderElector =>
      new LeaderElector({
        kubeConfig: kc,
        namespace: ns.name,
        name: 'pause-lease',
        identity,
        ...SHORT,
        onLeading: () => log.push({ who: identity, what: 'leading', at: Date.now() }),
        onStopped: () => log.push({ who: identity, what: 'stopped', at: Date.now() }),
      });
    const a = elector('a');
    const ctl = new AbortController();
    const aDone = a.run(ctl.signal, { release: false });
    await waitFor('a leads', () => Promise.resolve(a.isLeader()));
    const b = elector('b');
    const bDone = b.run(ctl.signal);
    await new Promise((r) => setTimeout(r, 1_200)); // b has seen a's record and keeps following
    expect(b.isLeader()).toBe(false);

    const posted: EngineEvent[] = [];
    const sink = leaderOnlySink({ emit: (e) => void posted.push(e) }, a)!;
    let gateAfterPause: boolean | undefined;
    // The earliest timer after the pause: what a's engine, schedules or chat would run first.
    setTimeout(() => {
      gateAfterPause = a.isLeader();
      sink.emit({ type: 'alert', kind: 'quota-exhausted', message: 'after the pause' });
    }, 0);
    const pausedAt = Date.now();
    freeze(SHORT.leaseDurationMs + 1_000);

    await waitFor('the first timer after the pause ran', () => Promise.resolve(gateAfterPause !== undefined));
    expect(gateAfterPause).toBe(false);
    expect(posted).toEqual([]);
    const aStopped = log.find((e) => e.who === 'a' && e.what === 'stopped' && e.at >= pausedAt);
    expect(aStopped).toBeDefined();
    // Then exactly one of them leads (b took over, or a's renewal sent after the pause won the race).
    await waitFor('one leader again', () => Promise.resolve(a.isLeader() || b.isLeader()), 10_000);
    for (let i = 0; i < 10; i++) {
      expect([a, b].filter((e) => e.isLeader()).length).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 200));
    }
    const bLeading = log.find((e) => e.who === 'b' && e.what === 'leading');
    if (bLeading !== undefined) expect(aStopped!.at).toBeLessThanOrEqual(bLeading.at);
    ctl.abort();
    await Promise.all([aDone, bDone]);
  }, 30_000);
});
