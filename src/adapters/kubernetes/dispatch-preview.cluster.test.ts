import { BatchV1Api, CustomObjectsApi, loadAllYaml, type V1Job } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../../core/model/attempt.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
} from '../../testing/kube/kube-test-env.js';
import { sampleRun, sampleSpecBuilder } from './__tests__/samples.js';
import { DEFAULT_JOB_SETTINGS } from './job-settings.js';
import { createKubernetesRuntime } from './kubernetes-runtime.js';
import type { KubeRecord } from './store/custom-resources.js';

// `dispatch --dry-run -o yaml` shows objects the API server really accepts (server-side dry run).
const kc = adminConfig();
let ns: string;
beforeAll(async () => {
  await installCrds(kc);
  ns = await createNamespace(kc, 'preview');
});
afterAll(async () => {
  await deleteNamespace(kc, ns);
});

describe('the Kubernetes runtime preview', () => {
  it('prints an AgentJob and a Job that both pass a server-side dry run, naming the same attempt', async () => {
    const runtime = createKubernetesRuntime({
      kubeConfig: kc,
      settings: { ...DEFAULT_JOB_SETTINGS, namespace: ns },
      buildSpec: sampleSpecBuilder,
      watch: false,
    });
    const run = sampleRun();
    const attempt: Attempt = {
      name: run.attemptName,
      repo: run.repo,
      issue: run.issue,
      seq: 1,
      kind: run.kind,
      family: run.family,
      slot: run.slot,
      phase: 'pending',
      createdAt: '2026-12-02T01:00:00.000Z',
      requestedBy: 'cli:alice',
    };
    const [agentJob, job] = loadAllYaml((await runtime.preview?.(run, attempt)) ?? '') as [KubeRecord, V1Job];
    const accepted = (await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'k3sc.dev',
      version: 'v1',
      namespace: ns,
      plural: 'agentjobs',
      body: agentJob,
      dryRun: 'All',
    })) as KubeRecord;
    // nothing the schema does not know was pruned
    expect(accepted.spec).toEqual(attempt);
    const acceptedJob = await kc
      .makeApiClient(BatchV1Api)
      .createNamespacedJob({ namespace: ns, body: job, dryRun: 'All' });
    expect(acceptedJob.metadata?.annotations?.['k3sc.dev/attempt']).toBe(accepted.metadata.name);
    // a dry run stores nothing
    const list = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'k3sc.dev',
      version: 'v1',
      namespace: ns,
      plural: 'agentjobs',
    })) as {
      items: unknown[];
    };
    expect(list.items).toEqual([]);
    await runtime.close();
  });
});
