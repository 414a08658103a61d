import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { AGENT_SELECTOR } from '../labels.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Ends the agent container of `pod` as a kubelet would report it; the job controller does the rest. */
export const terminatePod = async (
  core: CoreV1Api,
  pod: V1Pod,
  exitCode = 0,
  reason = 'Completed',
): Promise<void> => {
  const now = new Date();
  await core.patchNamespacedPodStatus(
    {
      name: pod.metadata!.name!,
      namespace: pod.metadata!.namespace!,
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

/**
 * Plays the kubelet for a namespace (there is no node): every agent pod the job controller
 * creates runs for `runMs()` and then exits 0. Returns a stop function and the pods it ended.
 */
export const playKubelet = (
  kc: KubeConfig,
  namespace: string,
  runMs: () => number,
): { stop(): Promise<void>; ended: Set<string> } => {
  const core = kc.makeApiClient(CoreV1Api);
  const seen = new Map<string, number>();
  const ended = new Set<string>();
  let stopped = false;
  const tick = async (): Promise<void> => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: AGENT_SELECTOR });
    const now = Date.now();
    for (const pod of pods.items) {
      const name = pod.metadata?.name ?? '';
      if (ended.has(name) || pod.metadata?.deletionTimestamp !== undefined) continue;
      if (['Succeeded', 'Failed'].includes(pod.status?.phase ?? '')) continue;
      const due = seen.get(name) ?? now + runMs();
      seen.set(name, due);
      if (due > now) continue;
      await terminatePod(core, pod).then(
        () => ended.add(name),
        () => undefined, // gone meanwhile (a stopped Job): nothing to end
      );
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await tick().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    ended,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
};
