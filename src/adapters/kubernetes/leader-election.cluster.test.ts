import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viaServer } from './__tests__/proxied-config.js';
import { startTcpProxy } from './__tests__/tcp-proxy.js';
import { testKubeConfig, testNamespace, waitFor } from './__tests__/test-kube.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';

const kc = testKubeConfig();
let ns: Awaited<ReturnType<typeof testNamespace>>;
beforeAll(async () => {
  ns = await testNamespace(kc, 'leader');
});
afterAll(() => ns.drop());

interface Running {
  readonly elector: LeaderElector;
  readonly ctl: AbortController;
  readonly done: Promise<void>;
  readonly events: { what: 'leading' | 'stopped'; at: number }[];
}

const startElector = (
  identity: string,
  lease: string,
  over: Partial<LeaderElectionOptions> = {},
  release = true,
): Running => {
  const events: Running['events'] = [];
  const elector = new LeaderElector({
    kubeConfig: kc,
    namespace: ns.name,
    name: lease,
    identity,
    onLeading: () => events.push({ what: 'leading', at: Date.now() }),
    onStopped: () => events.push({ what: 'stopped', at: Date.now() }),
    ...over,
  });
  const ctl = new AbortController();
  return { elector, ctl, events, done: elector.run(ctl.signal, { release }) };
};

/** Samples the electors until `until` holds, failing if two ever lead at once. */
const watchOneLeader = async (all: readonly Running[], until: () => boolean, ms: number): Promise<void> => {
  await waitFor(
    'condition',
    () => {
      expect(all.filter((r) => r.elector.isLeader()).length).toBeLessThanOrEqual(1);
      return Promise.resolve(until());
    },
    ms,
  );
};

describe('leader election on a real Lease (15 s / 10 s / 2 s)', () => {
  it('three electors: exactly one leads; killing it hands over within about 20 s', async () => {
    const all = ['a', 'b', 'c'].map((id) => startElector(id, 'k3sc-leader', {}, false));
    await watchOneLeader(all, () => all.some((r) => r.elector.isLeader()), 10_000);
    // a few retry periods later it is still exactly one, the same one
    const first = all.find((r) => r.elector.isLeader())!;
    await new Promise((r) => setTimeout(r, 4_500));
    expect(all.filter((r) => r.elector.isLeader())).toEqual([first]);
    // crash the leader: it stops renewing and does not release the Lease
    const killedAt = Date.now();
    first.ctl.abort();
    await first.done;
    const rest = all.filter((r) => r !== first);
    await watchOneLeader(rest, () => rest.some((r) => r.elector.isLeader()), 30_000);
    const handover = Date.now() - killedAt;
    // bounds from the settings: at most lease duration + one jittered retry period (+ slack)
    expect(handover).toBeLessThan(15_000 + 2_400 + 3_000);
    // and not before the lease could have expired since its last renewal (≤ one retry ago)
    expect(handover).toBeGreaterThan(15_000 - 2_000 - 1_000);
    for (const r of rest) r.ctl.abort();
    await Promise.all(rest.map((r) => r.done));
  }, 50_000);

  it('a graceful stop releases the Lease: a follower takes over within a retry period or two', async () => {
    const a = startElector('a', 'release-lease');
    await waitFor('a leads', () => Promise.resolve(a.elector.isLeader()));
    const b = startElector('b', 'release-lease');
    const stoppedAt = Date.now();
    a.ctl.abort();
    await a.done;
    await waitFor('b leads', () => Promise.resolve(b.elector.isLeader()), 10_000);
    expect(Date.now() - stoppedAt).toBeLessThan(2 * 2_400 + 1_000);
    b.ctl.abort();
    await b.done;
  });

  it('a partitioned leader steps down before anyone else can take the Lease', async () => {
    const proxy = await startTcpProxy(new URL(kc.getCurrentCluster()!.server));
    const short = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };
    const a = startElector('a', 'partition-lease', { ...short, kubeConfig: viaServer(kc, proxy.url) });
    await waitFor('a leads', () => Promise.resolve(a.elector.isLeader()));
    const b = startElector('b', 'partition-lease', short);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(b.elector.isLeader()).toBe(false);
    const cutAt = Date.now();
    proxy.blackhole(true);
    await watchOneLeader([a, b], () => b.elector.isLeader(), 15_000);
    const aStopped = a.events.find((e) => e.what === 'stopped')!.at;
    const bLeading = b.events.find((e) => e.what === 'leading')!.at;
    expect(aStopped).toBeLessThan(bLeading);
    // a stopped within its renew deadline of the cut (it last renewed at most a retry before)
    expect(aStopped - cutAt).toBeLessThanOrEqual(2_000 + 200);
    for (const r of [a, b]) r.ctl.abort();
    await Promise.all([a.done, b.done]);
    await proxy.close();
  });
});
