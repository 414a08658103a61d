import { CoreV1Api, type KubeConfig, type CoreV1Event, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { viaServer } from './__tests__/proxied-config.js';
import { startTcpProxy } from './__tests__/tcp-proxy.js';
import { testKubeConfig, testNamespace, waitFor } from './__tests__/test-kube.js';
import { ResourceWatch, type ListResult } from './watch-resource.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const SELECTOR = 'k3sc.dev/test=watch';
let ns: Awaited<ReturnType<typeof testNamespace>>;
beforeAll(async () => {
  ns = await testNamespace(kc, 'watch');
});
afterAll(() => ns.drop());

const fast = { next: () => 50, reset: () => undefined };
let n = 0;
const createCm = (data: Record<string, string> = {}): Promise<V1ConfigMap> =>
  core.createNamespacedConfigMap({
    namespace: ns.name,
    body: { metadata: { name: `cm-${++n}`, labels: { 'k3sc.dev/test': 'watch' } }, data },
  });

/** A watch of the namespace's test ConfigMaps that records what its handlers were given. */
const watchOf = (
  config: KubeConfig,
  over: { list?: () => Promise<ListResult<V1ConfigMap>>; silenceMs?: number } = {},
) => {
  const seen: string[] = [];
  const api = config.makeApiClient(CoreV1Api);
  const w = new ResourceWatch<V1ConfigMap>({
    kubeConfig: config,
    path: `/api/v1/namespaces/${ns.name}/configmaps`,
    labelSelector: SELECTOR,
    list: over.list ?? (() => api.listNamespacedConfigMap({ namespace: ns.name, labelSelector: SELECTOR })),
    onUpsert: (o) => seen.push(`up:${o.metadata?.name}@${o.metadata?.resourceVersion}`),
    onDelete: (o) => seen.push(`del:${o.metadata?.name}`),
    backoff: fast,
    silenceMs: over.silenceMs ?? 30_000,
  });
  return { w, seen };
};

/** Compacts etcd up to now, so a watch from an old resourceVersion really gets 410 Gone. */
const compactHistory = async (rv: string | undefined): Promise<void> => {
  const etcd = inject('kube').etcdUrl;
  if (etcd === undefined) return; // an external cluster compacts on its own schedule
  const res = await fetch(`${etcd}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision: rv, physical: true }),
  });
  expect(res.ok).toBe(true);
};

const noRepeats = (seen: readonly string[]): void => expect(new Set(seen).size).toBe(seen.length);

describe('ResourceWatch on a real API server', () => {
  it('lists, then follows adds, updates and deletes', async () => {
    const a = await createCm();
    const { w, seen } = watchOf(kc);
    await w.start().synced();
    expect(w.get(a.metadata!.name!, ns.name)).toBeDefined();
    const b = await createCm();
    await core.patchNamespacedConfigMap({
      name: b.metadata!.name!,
      namespace: ns.name,
      body: [{ op: 'add', path: '/data', value: { k: 'v' } }],
    });
    await core.deleteNamespacedConfigMap({ name: a.metadata!.name!, namespace: ns.name });
    await waitFor('events', () =>
      Promise.resolve(
        seen.includes(`del:${a.metadata!.name}`) && w.get(b.metadata!.name!, ns.name)?.data?.['k'] === 'v',
      ),
    );
    noRepeats(seen);
    await w.stop();
  });

  it('relists on 410 Gone (a compacted resourceVersion) and repeats no handler call', async () => {
    // Events are not in the API server's watch cache, so a watch from a compacted version
    // reaches etcd and really gets 410 Gone.
    const event = (name: string) =>
      core.createNamespacedEvent({
        namespace: ns.name,
        body: {
          metadata: { name, labels: { 'k3sc.dev/test': 'watch' } },
          involvedObject: { kind: 'Pod', name: 'x', namespace: ns.name },
          reason: 'Test',
          message: name,
        },
      });
    await event('e1');
    await event('e2');
    let lists = 0;
    const list = async (): Promise<ListResult<CoreV1Event>> => {
      const res = await core.listNamespacedEvent({ namespace: ns.name, labelSelector: SELECTOR });
      // The first list hands out an old version; compacting history makes it gone.
      if (lists++ === 0) {
        await compactHistory(res.metadata?.resourceVersion);
        return { items: res.items, metadata: { resourceVersion: '2' } };
      }
      return res;
    };
    const seen: string[] = [];
    const w = new ResourceWatch<CoreV1Event>({
      kubeConfig: kc,
      path: `/api/v1/namespaces/${ns.name}/events`,
      labelSelector: SELECTOR,
      list,
      onUpsert: (o) => seen.push(`up:${o.metadata?.name}@${o.metadata?.resourceVersion}`),
      onDelete: (o) => seen.push(`del:${o.metadata?.name}`),
      backoff: fast,
    });
    await w.start().synced();
    await waitFor('relist', () => Promise.resolve(w.stats.expired >= 1 && w.stats.lists >= 2));
    // the relist found the same two objects: no handler ran again
    expect(seen.filter((s) => s.startsWith('up:'))).toHaveLength(2);
    await event('e3');
    await waitFor('event after relist', () => Promise.resolve(w.get('e3', ns.name) !== undefined));
    expect(seen).toHaveLength(3);
    noRepeats(seen);
    await w.stop();
  });

  it('survives a dropped connection: restarts from its version, misses nothing, repeats nothing', async () => {
    const target = new URL(kc.getCurrentCluster()!.server);
    const proxy = await startTcpProxy(target);
    const viaProxy = viaServer(kc, proxy.url);
    const { w, seen } = watchOf(viaProxy);
    await w.start().synced();
    const watchesBefore = w.stats.watches;
    proxy.drop();
    const d = await createCm();
    await waitFor('event after the drop', () =>
      Promise.resolve(w.get(d.metadata!.name!, ns.name) !== undefined),
    );
    expect(w.stats.watches).toBeGreaterThan(watchesBefore);
    noRepeats(seen);
    await w.stop();
    await proxy.close();
  });

  it('restarts a watch that goes silent (no event, not even a bookmark)', async () => {
    const { w } = watchOf(kc, { silenceMs: 300 });
    await w.start().synced();
    await waitFor('watchdog', () => Promise.resolve(w.stats.silent >= 1));
    const e = await createCm();
    await waitFor('event after the restart', () =>
      Promise.resolve(w.get(e.metadata!.name!, ns.name) !== undefined),
    );
    await w.stop();
  });
});
