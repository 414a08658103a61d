import { KubeConfig, loadAllYaml, type V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { findCommand } from '../bot/command-table.js';
import { actor, harnessFarm, MemoryAudit, sequentialIds } from '../bot/__tests__/harness-farm.js';
import { renderText } from '../bot/render/text.js';
import { runCommand } from '../bot/run-command.js';
import { attemptSchema } from '../adapters/store/record-schemas.js';
import { sampleSpecBuilder } from '../adapters/kubernetes/__tests__/samples.js';
import { DEFAULT_JOB_SETTINGS } from '../adapters/kubernetes/job-settings.js';
import { createKubernetesRuntime } from '../adapters/kubernetes/kubernetes-runtime.js';
import { ANNOTATION, jobNameFor, LABEL } from '../adapters/kubernetes/labels.js';
import type { KubeRecord } from '../adapters/kubernetes/store/custom-resources.js';

// `k3sc dispatch --dry-run -o yaml` with the Kubernetes runtime's preview (no API call is made).
const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
  users: [{ name: 'u', token: 'unused' }],
  contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
  currentContext: 'c',
});

describe('dispatch --dry-run -o yaml on the Kubernetes runtime', () => {
  it('prints the AgentJob record and then the Job, two documents naming the same attempt', async () => {
    const { h, farm } = harnessFarm();
    const runtime = createKubernetesRuntime({
      kubeConfig,
      settings: { ...DEFAULT_JOB_SETTINGS, namespace: 'claude-agents' },
      buildSpec: sampleSpecBuilder,
      watch: false,
    });
    Object.assign(h.runtime, { preview: runtime.preview });
    const ref = h.seedReady();
    const reply = await runCommand(
      findCommand('dispatch')!,
      { dryRun: true, output: 'yaml' },
      { farm, actor: actor('admin'), signal: AbortSignal.timeout(10_000) },
      { logger: h.logger, audit: new MemoryAudit(), where: 'test', newId: sequentialIds('c') },
    );
    const docs = loadAllYaml(renderText(reply)) as [KubeRecord, V1Job];
    expect(docs).toHaveLength(2);
    const [agentJob, job] = docs;
    const name = `o-r-${ref.number}-1`;
    expect(agentJob).toMatchObject({
      apiVersion: 'k3sc.dev/v1',
      kind: 'AgentJob',
      metadata: {
        name,
        namespace: 'claude-agents',
        labels: { 'k3sc.dev/attempt': name, 'k3sc.dev/phase': 'pending' },
      },
    });
    // the spec is the record the engine would store, as the store's own schema reads it
    const record = attemptSchema.parse(agentJob.spec);
    expect(record).toMatchObject({
      name,
      issue: ref.number,
      seq: 1,
      kind: 'implement',
      slot: 'claude-a',
      phase: 'pending',
    });
    expect(record.requestedBy).toBe(actor('admin').id);
    expect(job.kind).toBe('Job');
    expect(job.metadata?.name).toBe(jobNameFor(name));
    expect(job.metadata?.namespace).toBe('claude-agents');
    expect(job.metadata?.annotations?.[ANNOTATION.attempt]).toBe(name);
    expect(job.metadata?.labels?.[LABEL.slot]).toBe('claude-a');
    // a dry run stores nothing
    expect(await h.attempts()).toEqual([]);
    await runtime.close();
  });
});
