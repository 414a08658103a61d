import { BatchV1Api, CoreV1Api, KubeConfig, type V1Container, type V1Job } from '@kubernetes/client-node';
import { inject } from 'vitest';

/** The admin connection to the e2e cluster (the one the globalSetup started). */
export const adminKubeConfig = (): KubeConfig => {
  const t = inject('kube');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'e2e', server: t.server, caData: Buffer.from(t.caData).toString('base64') }],
    users: [{ name: 'admin', token: t.adminToken }],
    contexts: [{ name: 'e2e', cluster: 'e2e', user: 'admin' }],
    currentContext: 'e2e',
  });
  return kc;
};

export interface FinishedJob {
  readonly job: V1Job;
  readonly podName: string;
  readonly log: string;
}

/** A one-pod Job that never pulls (the images are imported on the node) and never retries. */
export const plainJob = (name: string, container: V1Container): V1Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, labels: { 'app.kubernetes.io/part-of': 'k3sc-e2e' } },
  spec: {
    backoffLimit: 0,
    activeDeadlineSeconds: 120,
    template: {
      metadata: { labels: { 'app.kubernetes.io/part-of': 'k3sc-e2e' } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        containers: [{ imagePullPolicy: 'Never', ...container }],
      },
    },
  },
});

const finished = (job: V1Job): boolean =>
  (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );

/**
 * Creates the Job, waits (polling the API server every 250 ms, up to `timeoutMs`) until it is
 * Complete or Failed, and reads its pod's log through the API server (pods/log → kubelet).
 */
export const runJob = async (
  kc: KubeConfig,
  namespace: string,
  job: V1Job,
  timeoutMs = 90_000,
): Promise<FinishedJob> => {
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const name = job.metadata?.name ?? '';
  await batch.createNamespacedJob({ namespace, body: job });
  const deadline = Date.now() + timeoutMs;
  let current = await batch.readNamespacedJob({ name, namespace });
  while (!finished(current)) {
    if (Date.now() > deadline)
      throw new Error(`job ${name} did not finish: ${JSON.stringify(current.status)}`);
    await new Promise((r) => setTimeout(r, 250));
    current = await batch.readNamespacedJob({ name, namespace });
  }
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` });
  const podName = pods.items[0]?.metadata?.name ?? '';
  const log = podName === '' ? '' : await core.readNamespacedPodLog({ name: podName, namespace });
  return { job: current, podName, log };
};

export const succeeded = (job: V1Job): boolean =>
  (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');

/** A namespace per test file, deleted (with everything in it) by the returned function. */
export const withNamespace = async (
  kc: KubeConfig,
  prefix: string,
): Promise<{ name: string; drop: () => Promise<void> }> => {
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
