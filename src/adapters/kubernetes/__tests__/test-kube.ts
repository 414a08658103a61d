import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { waitFor as sharedWaitFor } from '../../../testing/kube/kube-test-env.js';

/** A KubeConfig for the test cluster (admin by default) or K3SC_TEST_KUBECONFIG's. */
export const testKubeConfig = (token?: string): KubeConfig => {
  const t = inject('kube');
  const kc = new KubeConfig();
  if (t.external && t.externalKubeconfig) {
    kc.loadFromFile(t.externalKubeconfig);
    return kc;
  }
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: t.server, caData: Buffer.from(t.caData).toString('base64') }],
    users: [{ name: 'u', token: token ?? t.adminToken }],
    contexts: [{ name: 'test', cluster: 'test', user: 'u' }],
    currentContext: 'test',
  });
  return kc;
};

/** A fresh namespace for one test file; `drop()` deletes it. */
export const testNamespace = async (
  kc: KubeConfig,
  prefix: string,
): Promise<{ name: string; drop(): Promise<void> }> => {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return {
    name,
    drop: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a value (not undefined/false) or `ms` pass (one helper: kube-test-env). */
export const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> =>
  sharedWaitFor(what, fn, ms);
