import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAttempt, makeLease } from '../../store/state-fixtures.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
} from '../../../testing/kube/kube-test-env.js';
import { CRD_GROUP, CRD_VERSION } from '../crds/crd-definitions.js';
import { KubeStateStore } from './kube-state-store.js';

/** Two processes (two stores, two clients) over one API server never give one slot to two attempts. */
const kc = adminConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
let namespace = '';
const stores: KubeStateStore[] = [];
const open = (opts: { claimGraceMs?: number } = {}): KubeStateStore => {
  const s = new KubeStateStore({ kubeConfig: adminConfig(), namespace, ...opts });
  stores.push(s);
  return s;
};

beforeAll(async () => {
  await installCrds(kc);
  namespace = await createNamespace(kc, 'k3sc-slots');
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await deleteNamespace(kc, namespace);
});

describe('slot claims across processes', () => {
  it('gives each slot to exactly one attempt over 25 trials of two stores racing 3 issues each', async () => {
    const [a, b] = [open(), open()];
    for (let trial = 0; trial < 25; trial++) {
      const slot = `claude-t${trial}`;
      const racers = [a, a, a, b, b, b].map((s, i) =>
        s.createAttempt(makeAttempt({ issue: 1000 + trial * 10 + i, slot, requestedBy: `racer-${i}` })),
      );
      const results = await Promise.allSettled(racers);
      expect(
        results.filter((r) => r.status === 'fulfilled'),
        `trial ${trial}`,
      ).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
      const holders = (await b.listAttempts({ liveOnly: true })).filter((x) => x.slot === slot);
      expect(holders).toHaveLength(1);
    }
  });

  it('takes over a claim whose attempt ended without releasing it (a crash between the two writes)', async () => {
    const s = open();
    const first = makeAttempt({ issue: 2001, slot: 'codex-q' });
    await s.createAttempt(first);
    // Another process ends the attempt by writing the object directly, leaving its claim behind.
    const obj = (await custom.getNamespacedCustomObject({
      group: CRD_GROUP,
      version: CRD_VERSION,
      namespace,
      plural: 'agentjobs',
      name: first.name,
    })) as { spec: object };
    await custom.replaceNamespacedCustomObject({
      group: CRD_GROUP,
      version: CRD_VERSION,
      namespace,
      plural: 'agentjobs',
      name: first.name,
      body: { ...obj, spec: { ...obj.spec, phase: 'failed' } },
    });
    await s.createAttempt(makeAttempt({ issue: 2002, slot: 'codex-q' }));
    await expect(s.createAttempt(makeAttempt({ issue: 2003, slot: 'codex-q' }))).rejects.toMatchObject({
      message: 'slot codex-q is held by attempt acme-widgets-2002-1',
    });
  });

  it('keeps a claim whose attempt is not stored yet for the grace period, then takes it over', async () => {
    const claim = {
      apiVersion: `${CRD_GROUP}/${CRD_VERSION}`,
      kind: 'SlotClaim',
      metadata: { name: 'codex-r' },
      spec: {
        slot: 'codex-r',
        holder: 'acme-widgets-3000-1',
        holderKind: 'attempt',
        createdAt: '2025-03-01T10:00:00.000Z',
      },
    };
    await custom.createNamespacedCustomObject({
      group: CRD_GROUP,
      version: CRD_VERSION,
      namespace,
      plural: 'slotclaims',
      body: claim,
    });
    await expect(open().createAttempt(makeAttempt({ issue: 3001, slot: 'codex-r' }))).rejects.toMatchObject({
      message: 'slot codex-r is held by attempt acme-widgets-3000-1',
    });
    const later = open({ claimGraceMs: 0 });
    await later.createAttempt(makeAttempt({ issue: 3001, slot: 'codex-r' }));
    expect((await later.getAttempt('acme-widgets-3001-1'))?.slot).toBe('codex-r');
  });

  it('holds one lease per worker across two stores racing different PRs', async () => {
    const [a, b] = [open(), open()];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).createLease(makeLease({ pr: 500 + i, worker: 'gemini-a' })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await a.listLeases()).filter((l) => l.worker === 'gemini-a')).toHaveLength(1);
  });
});
