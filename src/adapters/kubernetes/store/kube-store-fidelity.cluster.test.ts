import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../../../core/model/attempt.js';
import type { DispatchState } from '../../../core/model/dispatch-state.js';
import { RECORD_KINDS, type StoredRecord } from '../../../core/model/stored-record.js';
import { makeAttempt, makeLease } from '../../store/state-fixtures.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
} from '../../../testing/kube/kube-test-env.js';
import { CRD_GROUP, CRD_VERSION } from '../crds/crd-definitions.js';
import { KubeStateStore } from './kube-state-store.js';

/** Every field the code writes survives the API server (no pruning), and bad CRs read as clear errors. */
const kc = adminConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
let namespace = '';
let store: KubeStateStore;

beforeAll(async () => {
  await installCrds(kc);
  namespace = await createNamespace(kc, 'k3sc-fidelity');
  store = new KubeStateStore({ kubeConfig: kc, namespace });
});
afterAll(async () => {
  await store.close();
  await deleteNamespace(kc, namespace);
});

const raw = async (plural: string, name: string): Promise<{ spec: unknown }> =>
  (await custom.getNamespacedCustomObject({
    group: CRD_GROUP,
    version: CRD_VERSION,
    namespace,
    plural,
    name,
  })) as {
    spec: unknown;
  };

const full: Attempt = makeAttempt({
  issue: 77,
  kind: 'review',
  family: 'codex',
  slot: 'codex-c',
  phase: 'stopping',
  startedAt: '2025-03-01T10:01:00.000Z',
  finishedAt: '2025-03-01T10:30:00+02:00',
  requestedBy: 'cli:alice',
  reason: 'usage limit',
  prNumber: 41,
  usage: {
    inputTokens: 1200,
    outputTokens: 340,
    cacheReadTokens: 5,
    cacheWriteTokens: 6,
    costUsd: 0.125,
    model: 'claude-opus',
    messageIds: ['m1', 'm2'],
  },
  result: {
    ok: false,
    summary: 'opened a PR',
    prNumber: 41,
    prUrl: 'https://github.com/acme/widgets/pull/41',
    reason: 'quota',
    quotaResetAt: '2025-03-01T15:00:00.000Z',
  },
  lastLines: ['line one', '', 'ünïcode ✓'],
  retryAfter: '2025-03-01T11:00:00.000Z',
  stop: { action: 'reset', to: 'needs-review', by: 'Alice', at: '2025-03-01T10:20:00.000Z' },
  interrupted: true,
});

describe('schema round trip through the real API server', () => {
  it('keeps every field of an attempt, incl. result.prNumber, in the stored object', async () => {
    await store.createAttempt(full);
    expect(await store.getAttempt(full.name)).toEqual(full);
    expect((await raw('agentjobs', full.name)).spec).toEqual(full);
    const finished = { ...full, phase: 'succeeded' as const };
    await store.updateAttempt(finished);
    expect((await raw('agentjobs', full.name)).spec).toEqual(finished);
  });

  it('keeps every field of a lease and of the dispatch state', async () => {
    const lease = makeLease({ pr: 9, worker: 'claude-b', holder: 'U123' });
    await store.createLease(lease);
    expect(await store.listLeases()).toEqual([lease]);
    expect((await raw('reviewleases', lease.name)).spec).toEqual(lease);
    const state: DispatchState = {
      paused: true,
      idleScans: 4,
      maxSlots: 0,
      disabledFamilies: ['codex', 'gemini'],
      quotaUntil: { claude: '2025-03-01T15:00:00.000Z' },
      rotation: 3,
      lastScanAt: '2025-03-01T10:00:00.000Z',
      nextScanAt: '2025-03-01T10:02:00.000Z',
      manualClaims: { 'acme/widgets#12': 'claude-c', 'Acme/Other.js#3': 'codex-a' },
      orphansSeen: { 'acme/widgets#7': '2025-03-01T10:00:00.000Z' },
    };
    expect(await store.updateDispatchState(() => state)).toEqual(state);
    expect(await store.getDispatchState()).toEqual(state);
    expect((await raw('dispatchstates', 'farm')).spec).toEqual(state);
  });

  it('keeps free-form record data exactly: nulls, nesting, empty containers, numbers, every kind', async () => {
    const data = {
      s: 'text',
      n: 1.5,
      i: -3,
      t: true,
      nil: null,
      list: [1, 'two', null, { deep: [[]] }],
      empty: {},
      none: [],
      'odd key.$': { 'x-y': 'z' },
    };
    for (const kind of RECORD_KINDS) {
      const r: StoredRecord = {
        kind,
        name: `r-${kind}`,
        createdAt: '2025-03-01T10:00:00.000Z',
        updatedAt: '2025-03-01T10:05:00.000Z',
        data,
      };
      await store.createRecord(r);
      expect(await store.getRecord(kind, r.name)).toEqual(r);
    }
    await store.createRecord({
      ...{ kind: 'audit', name: 'scalar', createdAt: '2025-03-01T10:00:00.000Z' },
      updatedAt: '2025-03-01T10:00:00.000Z',
      data: null,
    });
    expect((await store.getRecord('audit', 'scalar'))?.data).toBeNull();
    expect((await raw('agentconfigs', 'r-agent-config')).spec).toMatchObject({ data });
  });
});

describe('a custom resource a person edited badly', () => {
  it('reads back as a clear error naming the object and the field, not a crash', async () => {
    const a = makeAttempt({ issue: 88, slot: 'claude-z' });
    await store.createAttempt(a);
    await custom.patchNamespacedCustomObject(
      {
        group: CRD_GROUP,
        version: CRD_VERSION,
        namespace,
        plural: 'agentjobs',
        name: a.name,
        body: { spec: { name: 'acme-widgets-99-1' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const problem = {
      code: 'state_corrupt',
      message: expect.stringContaining(
        `AgentJob ${namespace}/${a.name} is invalid: spec names another record`,
      ) as string,
    };
    await expect(store.getAttempt(a.name)).rejects.toMatchObject(problem);
    await expect(store.listAttempts({ issue: 88 })).rejects.toMatchObject(problem);
  });

  it('is refused by the API server when it breaks the schema, naming the field', async () => {
    const a = makeAttempt({ issue: 89, slot: 'claude-y' });
    await store.createAttempt(a);
    const patch = custom.patchNamespacedCustomObject(
      {
        group: CRD_GROUP,
        version: CRD_VERSION,
        namespace,
        plural: 'agentjobs',
        name: a.name,
        body: { spec: { seq: 0, phase: 'done' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await expect(patch).rejects.toMatchObject({
      code: 422,
      body: expect.stringContaining('spec.seq') as string,
    });
    expect(await store.getAttempt(a.name)).toEqual(a);
  });
});
