import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoRef } from '../../../core/model/refs.js';
import { createHarness, EngineHarness } from '../../../testing/engine-harness.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
} from '../../../testing/kube/kube-test-env.js';
import { KubeStateStore } from './kube-state-store.js';

/**
 * Two engines (two processes, each with its own store client) over one API server, each
 * configured for a different repository, so neither sees the other's owner labels: both plan
 * the same free slot at the same time. The SlotClaim lets exactly one of them start.
 */
const kc = adminConfig();
const namespaces: string[] = [];
const stores: KubeStateStore[] = [];
const R1: RepoRef = { owner: 'o', name: 'r' };
const R2: RepoRef = { owner: 'o', name: 's' };

beforeAll(async () => {
  await installCrds(kc);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all(namespaces.map((n) => deleteNamespace(kc, n)));
});

const storeIn = (namespace: string): KubeStateStore => {
  const s = new KubeStateStore({ kubeConfig: adminConfig(), namespace });
  stores.push(s);
  return s;
};

describe('two engines racing for one slot over one API server', () => {
  it('never give one slot to two attempts (5 trials)', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const namespace = await createNamespace(kc, 'k3sc-engines');
      namespaces.push(namespace);
      const settings = { families: [{ name: 'claude', enabled: true }] };
      const a = createHarness({ repos: [R1], settings, store: storeIn(namespace) });
      const b = new EngineHarness({ repos: [R2], settings, store: storeIn(namespace) }, a);
      const i1 = a.seedReady({ repo: R1 });
      const i2 = a.seedReady({ repo: R2 });
      // Both clients talk to the API server once first (a fresh CRD's storage may answer 429
      // "initializing" for a moment), so the two passes below really run at the same time.
      await Promise.all([a.store.listAttempts(), b.store.listAttempts()]);
      const [ra, rb] = await Promise.all([a.engine.pass(), b.engine.pass()]);
      const started = [...ra.started, ...rb.started];
      // Whoever loses claude-a either waits for its next pass or (having seen the claim) takes
      // the next free slot at once; never do two attempts hold one slot.
      const slots = started.map((x) => x.slot);
      expect(slots, `trial ${trial}`).toContain('claude-a');
      expect(new Set(slots).size, `trial ${trial}: ${slots.join(',')}`).toBe(slots.length);
      if (started.length === 1) {
        const again = await (ra.started.length === 0 ? a : b).engine.pass();
        expect(again.started.map((x) => x.slot)).toEqual(['claude-b']);
      }
      const live = await a.store.listAttempts({ liveOnly: true });
      expect(live.map((x) => x.slot).sort()).toEqual(['claude-a', 'claude-b']);
      for (const slot of ['claude-a', 'claude-b'])
        expect([i1, i2].filter((ref) => a.tracker.labels(ref).includes(slot))).toHaveLength(1);
    }
  });
});
