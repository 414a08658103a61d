import { readFile } from 'node:fs/promises';
import { AppsV1Api, loadYaml, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKubeConfig, testNamespace } from './__tests__/test-kube.js';

const kc = testKubeConfig();
let ns: Awaited<ReturnType<typeof testNamespace>>;
beforeAll(async () => {
  ns = await testNamespace(kc, 'deploy');
});
afterAll(() => ns.drop());

const manifest = async (): Promise<V1Deployment> =>
  loadYaml<V1Deployment>(
    await readFile(new URL('../../../manifests/base/deployment.yaml', import.meta.url), 'utf8'),
  );

describe('manifests/base/deployment.yaml', () => {
  it('is accepted by the real API server (server-side dry run), probes and hardening intact', async () => {
    const d = await manifest();
    const back = await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: ns.name,
      body: { ...d, metadata: { ...d.metadata, namespace: ns.name } },
      dryRun: 'All',
    });
    const c = back.spec!.template.spec!.containers[0]!;
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(back.spec!.template.spec!.securityContext?.runAsNonRoot).toBe(true);
    expect(c.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(back.spec!.template.spec!.terminationGracePeriodSeconds).toBe(30);
  });
});
