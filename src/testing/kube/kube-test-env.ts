import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  loadYaml,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { inject } from 'vitest';

/** Helpers for cluster tests: connections, a namespace per test file, the CRDs from manifests/. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A KubeConfig for a token on the test cluster, or the external cluster's (admin) when given. */
export const kubeConfigFor = (token?: string): KubeConfig => {
  const t = inject('kube');
  const kc = new KubeConfig();
  if (t.external && t.externalKubeconfig !== undefined && token === undefined) {
    kc.loadFromFile(t.externalKubeconfig);
    return kc;
  }
  if (t.external && t.externalKubeconfig !== undefined) {
    kc.loadFromFile(t.externalKubeconfig);
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error('external kubeconfig has no cluster');
    const fresh = new KubeConfig();
    fresh.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'test', cluster: cluster.name, user: 'u' }],
      currentContext: 'test',
    });
    return fresh;
  }
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: t.server, caData: Buffer.from(t.caData).toString('base64') }],
    users: [{ name: 'u', token: token ?? t.adminToken }],
    contexts: [{ name: 'test', cluster: 'test', user: 'u' }],
    currentContext: 'test',
  });
  return kc;
};

export const adminConfig = (): KubeConfig => kubeConfigFor();

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export const createNamespace = async (kc: KubeConfig, prefix: string): Promise<string> => {
  const name = uniqueName(prefix);
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name, labels: { 'k3sc.dev/test': 'true' } } } });
  return name;
};

export const deleteNamespace = async (kc: KubeConfig, name: string): Promise<void> => {
  await kc
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name })
    .catch(() => undefined);
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const waitFor = async <T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

export const crdFiles = async (): Promise<string[]> => {
  const dir = join(repoRoot, 'manifests/base/crds');
  return (await readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
};

/** Installs (or updates) every CRD of manifests/base/crds and waits until each is Established. */
export const installCrds = async (kc: KubeConfig): Promise<void> => {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const file of await crdFiles()) {
    const crd = loadYaml<V1CustomResourceDefinition>(await readFile(file, 'utf8'));
    const name = crd.metadata?.name ?? '';
    try {
      await api.createCustomResourceDefinition({ body: crd });
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      const current = await api.readCustomResourceDefinition({ name });
      await api
        .replaceCustomResourceDefinition({
          name,
          body: {
            ...crd,
            metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion ?? '' },
          },
        })
        .catch((e: unknown) => {
          if ((e as { code?: number }).code !== 409) throw e;
        });
    }
    await waitFor(`CRD ${name} Established`, async () => {
      const got = await api.readCustomResourceDefinition({ name });
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
};
