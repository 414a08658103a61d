import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKubeConfig, testNamespace } from './__tests__/test-kube.js';
import { sampleRun, sampleSpecBuilder } from './__tests__/samples.js';
import { buildAgentJob } from './job-builder.js';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from './job-settings.js';

const kc = testKubeConfig();
const batch = kc.makeApiClient(BatchV1Api);
let ns: Awaited<ReturnType<typeof testNamespace>>;
beforeAll(async () => {
  ns = await testNamespace(kc, 'jobs');
});
afterAll(() => ns.drop());

const settings = (): JobSettings => ({ ...DEFAULT_JOB_SETTINGS, namespace: ns.name });

describe('the agent Job against the real API server', () => {
  it('is accepted by a server-side dry run, every field kept', async () => {
    const { job } = buildAgentJob(
      { ...settings(), runtimeClassName: 'kata' },
      sampleRun(),
      sampleSpecBuilder,
    );
    const back = await batch.createNamespacedJob({ namespace: ns.name, body: job, dryRun: 'All' });
    expect(back.spec?.podFailurePolicy).toEqual(job.spec?.podFailurePolicy);
    expect(back.spec?.podReplacementPolicy).toBe('Failed');
    expect(back.spec?.template.spec?.runtimeClassName).toBe('kata');
    expect(back.spec?.template.spec?.containers[0]?.securityContext).toEqual(
      job.spec?.template.spec?.containers[0]?.securityContext,
    );
    expect(back.metadata?.labels).toMatchObject(job.metadata?.labels ?? {});
    // a dry run stores nothing
    await expect(
      batch.readNamespacedJob({ name: job.metadata!.name!, namespace: ns.name }),
    ).rejects.toMatchObject({
      code: 404,
    });
  });

  it('a long, odd repository name still makes a valid Job', async () => {
    const run = sampleRun({
      attemptName: `${'very-long-organisation-name'.repeat(3)}-widgets-js-4242-3`,
      repo: { owner: 'Very_Long.Org', name: 'widgets.js' },
      slot: 'claude/slot 1',
    });
    const { job } = buildAgentJob(settings(), run, sampleSpecBuilder);
    await expect(
      batch.createNamespacedJob({ namespace: ns.name, body: job, dryRun: 'All' }),
    ).resolves.toBeDefined();
  });

  it('a Job the server would reject is rejected (the dry run really validates)', async () => {
    const { job } = buildAgentJob(settings(), sampleRun(), sampleSpecBuilder);
    const bad = {
      ...job,
      spec: {
        ...job.spec!,
        template: { ...job.spec!.template, spec: { ...job.spec!.template.spec!, restartPolicy: 'Always' } },
      },
    };
    await expect(
      batch.createNamespacedJob({ namespace: ns.name, body: bad, dryRun: 'All' }),
    ).rejects.toMatchObject({
      code: 422,
    });
  });
});
