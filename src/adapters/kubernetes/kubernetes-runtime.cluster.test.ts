import { BatchV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRun, sampleSpecBuilder } from './__tests__/samples.js';
import { testKubeConfig, testNamespace, waitFor } from './__tests__/test-kube.js';
import { DEFAULT_JOB_SETTINGS } from './job-settings.js';
import { createKubernetesRuntime, type KubernetesRuntime } from './kubernetes-runtime.js';
import { attemptSelector, jobNameFor } from './labels.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
let ns: Awaited<ReturnType<typeof testNamespace>>;
let rt: KubernetesRuntime;
const exits: string[] = [];

beforeAll(async () => {
  ns = await testNamespace(kc, 'runtime');
  // Pods of a Job need their service account to exist (admission); the manifests create it.
  await core.createNamespacedServiceAccount({
    namespace: ns.name,
    body: { metadata: { name: 'k3sc-agent' } },
  });
  rt = createKubernetesRuntime({
    kubeConfig: kc,
    settings: { ...DEFAULT_JOB_SETTINGS, namespace: ns.name },
    buildSpec: sampleSpecBuilder,
    onExit: (n) => exits.push(n),
  });
  await rt.ready();
});
afterAll(async () => {
  await rt.close();
  await ns.drop();
});

/** The job controller's pod for an attempt (there is no kubelet: the test plays it). */
const podOf = (name: string): Promise<V1Pod> =>
  waitFor(`pod of ${name}`, async () => {
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: attemptSelector(name) });
    return pods.items[0];
  });

/** Ends the agent container as a kubelet would report it. */
const terminate = async (pod: V1Pod, exitCode: number, reason: string): Promise<void> => {
  const now = new Date();
  await core.patchNamespacedPodStatus(
    {
      name: pod.metadata!.name!,
      namespace: ns.name,
      body: {
        status: {
          phase: exitCode === 0 ? 'Succeeded' : 'Failed',
          containerStatuses: [
            {
              name: 'agent',
              image: 'k3sc-agent:latest',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { terminated: { exitCode, reason, startedAt: now, finishedAt: now } },
            },
          ],
        },
      },
    },
    merge,
  );
};

describe('KubernetesRuntime on a real API server', () => {
  it('start is idempotent: one Job, one pod; status running, then succeeded from the pod', async () => {
    const run = sampleRun({ attemptName: 'acme-widgets-1-1', issue: 1 });
    await rt.start(run);
    await rt.start(run);
    const jobs = await batch.listNamespacedJob({
      namespace: ns.name,
      labelSelector: attemptSelector(run.attemptName),
    });
    expect(jobs.items).toHaveLength(1);
    expect((await rt.status(run.attemptName)).state).toBe('running');
    await terminate(await podOf(run.attemptName), 0, 'Completed');
    const done = await waitFor('succeeded', async () => {
      const s = await rt.status(run.attemptName);
      return s.state === 'succeeded' && s;
    });
    expect(done).toMatchObject({ exitCode: 0 });
    await waitFor('onExit', () => Promise.resolve(exits.includes(run.attemptName)));
  });

  it('reports OOMKilled with the exit code, and an unstarted log as empty', async () => {
    const run = sampleRun({ attemptName: 'acme-widgets-2-1', issue: 2 });
    await rt.start(run);
    const pod = await podOf(run.attemptName);
    expect(await rt.readLog(run.attemptName, { tailLines: 10 })).toBe('');
    await terminate(pod, 137, 'OOMKilled');
    const failed = await waitFor('failed', async () => {
      const s = await rt.status(run.attemptName);
      return s.state === 'failed' && s;
    });
    expect(failed.reason).toContain('OOMKilled');
    expect(failed.exitCode).toBe(137);
  });

  it('reports a deadline as such (the job controller enforces activeDeadlineSeconds)', async () => {
    const run = sampleRun({ attemptName: 'acme-widgets-3-1', issue: 3, deadlineSeconds: 1 });
    await rt.start(run);
    const failed = await waitFor('deadline', async () => {
      const s = await rt.status(run.attemptName);
      return s.state === 'failed' && s;
    });
    expect(failed.reason).toBe('deadline exceeded (1s)');
  });

  it('stop deletes the Job (idempotent); then the run is missing', async () => {
    const run = sampleRun({ attemptName: 'acme-widgets-4-1', issue: 4 });
    await rt.start(run);
    await podOf(run.attemptName);
    await rt.stop(run.attemptName);
    await rt.stop(run.attemptName);
    await rt.stop('never-existed-1');
    await waitFor('missing', async () => (await rt.status(run.attemptName)).state === 'missing');
    await expect(
      batch.readNamespacedJob({ name: jobNameFor(run.attemptName), namespace: ns.name }),
    ).rejects.toMatchObject({
      code: 404,
    });
  });

  it('a stopped run has not ended while a pod of it is still terminating', async () => {
    const run = sampleRun({ attemptName: 'acme-widgets-5-1', issue: 5 });
    await rt.start(run);
    const pod = await podOf(run.attemptName);
    // hold the pod in Terminating, as a kubelet does during the grace period
    await core.patchNamespacedPod(
      {
        name: pod.metadata!.name!,
        namespace: ns.name,
        body: { metadata: { finalizers: ['k3sc.dev/test-hold'] } },
      },
      merge,
    );
    await rt.stop(run.attemptName);
    await waitFor('job gone', async () => {
      const jobs = await batch.listNamespacedJob({
        namespace: ns.name,
        labelSelector: attemptSelector(run.attemptName),
      });
      return jobs.items.length === 0;
    });
    expect((await rt.status(run.attemptName)).state).toBe('running');
    await core.patchNamespacedPod(
      { name: pod.metadata!.name!, namespace: ns.name, body: { metadata: { finalizers: null } } },
      merge,
    );
    await waitFor('ended', async () => (await rt.status(run.attemptName)).state === 'missing');
  });

  it('answers status from the watch cache, and from the API for a name it has not seen', async () => {
    expect((await rt.status('acme-widgets-99-1')).state).toBe('missing');
  });
});
