import { BatchV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineDeps } from '../../core/engine/deps.js';
import type { EngineEvent } from '../../core/engine/events.js';
import { finishAttempt } from '../../core/engine/finish-attempt.js';
import { WorkItemsCache } from '../../core/engine/work-items-cache.js';
import { KeyedQueue } from '../../core/keyed-queue.js';
import type { Attempt } from '../../core/model/attempt.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/model/settings.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { MemoryStateStore } from '../store/memory-state-store.js';
import { resultLine, usageLine } from '../../testing/engine-log-lines.js';
import { MemoryTracker } from '../../testing/memory-tracker.js';
import { sampleRun, sampleSpecBuilder } from './__tests__/samples.js';
import { testKubeConfig, testNamespace, waitFor } from './__tests__/test-kube.js';
import { DEFAULT_JOB_SETTINGS } from './job-settings.js';
import { createKubernetesRuntime, type KubernetesRuntime } from './kubernetes-runtime.js';
import { attemptSelector, jobNameFor } from './labels.js';

/**
 * A failed agent pod whose runner reported a usage limit: the log is gone (no kubelet here, as
 * on a lost node), the `[result]` line survives in the termination message, and the engine
 * marks the family out of quota until the reset — the same path as the local runtime's.
 */
const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const REPO = { owner: 'acme', name: 'widgets' };
let ns: Awaited<ReturnType<typeof testNamespace>>;
let rt: KubernetesRuntime;

beforeAll(async () => {
  ns = await testNamespace(kc, 'quota');
  await core.createNamespacedServiceAccount({
    namespace: ns.name,
    body: { metadata: { name: 'k3sc-agent' } },
  });
  rt = createKubernetesRuntime({
    kubeConfig: kc,
    settings: { ...DEFAULT_JOB_SETTINGS, namespace: ns.name },
    buildSpec: sampleSpecBuilder,
  });
  await rt.ready();
});
afterAll(async () => {
  await rt.close();
  await ns.drop();
});

const podOf = (name: string): Promise<V1Pod> =>
  waitFor(`pod of ${name}`, async () => {
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: attemptSelector(name) });
    return pods.items[0];
  });

/** The kubelet's report of a failed agent container, with FallbackToLogsOnError's message. */
const failPod = async (pod: V1Pod, message: string): Promise<void> => {
  const now = new Date();
  await core.patchNamespacedPodStatus(
    {
      name: pod.metadata!.name!,
      namespace: ns.name,
      body: {
        status: {
          phase: 'Failed',
          containerStatuses: [
            {
              name: 'agent',
              image: 'k3sc-agent:latest',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: {
                terminated: { exitCode: 1, reason: 'Error', message, startedAt: now, finishedAt: now },
              },
            },
          ],
        },
      },
    },
    merge,
  );
};

describe('usage limits from failed agent pods', () => {
  it('marks the family out of quota until the reset read from the termination message', async () => {
    const tracker = new MemoryTracker();
    tracker.addRepo(REPO);
    const ref = tracker.addIssue({
      repo: REPO,
      title: 'Add a widget',
      author: 'alice',
      labels: ['claude-a'],
    });
    const name = `acme-widgets-${ref.number}-1`;
    const store = new MemoryStateStore();
    const events: EngineEvent[] = [];
    const deps: EngineDeps = {
      settings: { ...DEFAULT_ENGINE_SETTINGS, repos: [REPO], allowedAuthors: ['alice'] },
      tracker,
      store,
      runtime: rt,
      clock: systemClock,
      logger: silentLogger,
      events: { emit: (e) => void events.push(e) },
      queue: new KeyedQueue(),
      cache: new WorkItemsCache(),
    };
    const attempt: Attempt = {
      name,
      repo: REPO,
      issue: ref.number,
      seq: 1,
      kind: 'implement',
      family: 'claude',
      slot: 'claude-a',
      phase: 'running',
      createdAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      requestedBy: 'engine',
    };
    await store.createAttempt(attempt);
    await rt.start(sampleRun({ attemptName: name, issue: ref.number, slot: 'claude-a' }));
    const resetAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    await failPod(
      await podOf(name),
      [
        'claude: You have hit your usage limit.',
        usageLine({
          messageId: 'm1',
          model: 'claude-sonnet',
          inputTokens: 10,
          outputTokens: 2,
          costUsd: 0.5,
        }).trim(),
        resultLine({
          ok: false,
          reason: `usage limit reached; the family may run again at ${resetAt}`,
          quotaResetAt: resetAt,
        }).trim(),
      ].join('\n'),
    );
    const status = await waitFor('the Job failed', async () => {
      const s = await rt.status(name);
      return s.state === 'failed' ? s : undefined;
    });
    expect(status.reason).toBe('exited with code 1 (Error)');
    expect(await rt.readLog(name)).toContain('[result]');

    const finished = await finishAttempt(deps, attempt, status);
    expect(finished.phase).toBe('failed');
    expect(finished.result?.quotaResetAt).toBe(resetAt);
    expect(finished.usage?.costUsd).toBe(0.5);
    expect((await store.getDispatchState()).quotaUntil['claude']).toBe(resetAt);
    expect(events.filter((e) => e.type === 'alert' && e.kind === 'quota-exhausted')).toHaveLength(1);
    // A quota hit is not the issue's fault: it goes back to ready, and counts toward no cap.
    expect(tracker.labels(ref)).toEqual(['ready']);

    // TTL cleanup removes the finished Job; a running one is left alone.
    const other = sampleRun({ attemptName: 'acme-widgets-99-1', issue: 99, slot: 'claude-b' });
    await rt.start(other);
    await rt.discardEnded!(other.attemptName);
    await rt.discardEnded!(name);
    const jobs = await batch.listNamespacedJob({ namespace: ns.name });
    expect(jobs.items.filter((j) => !j.metadata?.deletionTimestamp).map((j) => j.metadata?.name)).toEqual([
      jobNameFor(other.attemptName),
    ]);
  });
});
