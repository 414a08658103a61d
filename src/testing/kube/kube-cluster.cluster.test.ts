import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

const kubeConfigFor = (token: string): KubeConfig => {
  const t = inject('kube');
  const kc = new KubeConfig();
  if (t.external && t.externalKubeconfig) {
    kc.loadFromFile(t.externalKubeconfig);
    return kc;
  }
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: t.server, caData: Buffer.from(t.caData).toString('base64') }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'test', cluster: 'test', user: 'u' }],
    currentContext: 'test',
  });
  return kc;
};

describe('the test cluster', () => {
  it('answers the admin and forbids a user without bindings', async () => {
    const t = inject('kube');
    const ns = await kubeConfigFor(t.adminToken).makeApiClient(CoreV1Api).listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toContain('default');
    if (t.external) return;
    await expect(kubeConfigFor(t.userToken).makeApiClient(CoreV1Api).listNamespace()).rejects.toMatchObject({
      code: 403,
    });
  });
});
