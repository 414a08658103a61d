import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { AgentRuntime, RunSpec, RunStatus } from '../../core/ports/agent-runtime.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { AgentCache } from './agent-cache.js';
import { buildAgentJob } from './job-builder.js';
import type { JobSettings } from './job-settings.js';
import { jobYaml, objectYaml } from './job-yaml.js';
import { agentJobObject } from './store/kube-attempts.js';
import { runStatusOf } from './job-status.js';
import { attemptSelector, jobNameFor } from './labels.js';
import { terminationMessage, withTerminationReport } from './termination-report.js';
import { followPodLog, podLogSource, readPodLog, type LogSource } from './pod-log.js';

export interface KubernetesRuntimeOptions {
  readonly kubeConfig: KubeConfig;
  readonly settings: JobSettings;
  readonly buildSpec: (run: RunSpec, workspace: string) => RunnerSpec;
  readonly logger?: Logger;
  /** Called when an attempt's Job reaches Complete or Failed (from the watch). */
  readonly onExit?: (attemptName: string) => void;
  /** Watch Jobs and pods (default true); without, every status call reads the API. */
  readonly watch?: boolean;
  readonly silenceMs?: number;
  readonly logSource?: LogSource;
}

export interface KubernetesRuntime extends AgentRuntime {
  /** The Job `start` would create (`preview` adds the AgentJob record before it, for `dispatch --dry-run -o yaml`). */
  jobFor(spec: RunSpec): V1Job;
  /** Settles once the watches have listed everything (immediately without watches). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const codeOf = (err: unknown): number | undefined => (err as { code?: number } | null)?.code;

/** Agents as Kubernetes Jobs: one Job per attempt, named after it, found by its labels. */
export const createKubernetesRuntime = (o: KubernetesRuntimeOptions): KubernetesRuntime => {
  const { namespace } = o.settings;
  const logger = (o.logger ?? silentLogger).child({ component: 'kubernetes-runtime' });
  const batch = o.kubeConfig.makeApiClient(BatchV1Api);
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const logSource = o.logSource ?? podLogSource(o.kubeConfig, namespace, 'agent');
  const reported = new Set<string>();
  let cache: AgentCache | undefined;
  const onChange = (name: string): void => {
    if (reported.has(name) || cache === undefined) return;
    const job = cache.jobs.get(jobNameFor(name), namespace);
    const state = runStatusOf(name, job, cache.podsOf(name)).state;
    if (state === 'succeeded' || state === 'failed') {
      reported.add(name);
      o.onExit?.(name);
    }
  };
  if (o.watch !== false) {
    cache = new AgentCache({
      kubeConfig: o.kubeConfig,
      namespace,
      logger,
      onChange,
      ...(o.silenceMs === undefined ? {} : { silenceMs: o.silenceMs }),
    }).start();
  }

  const readJob = async (name: string, fresh = false): Promise<V1Job | undefined> => {
    const cached = fresh ? undefined : cache?.jobs.get(jobNameFor(name), namespace);
    if (cached !== undefined) return cached;
    try {
      return await batch.readNamespacedJob({ name: jobNameFor(name), namespace });
    } catch (err) {
      if (codeOf(err) === 404) return undefined;
      throw err;
    }
  };
  const podsOf = async (name: string, fresh = false): Promise<V1Pod[]> => {
    if (cache !== undefined && !fresh) return cache.podsOf(name);
    const list = await core.listNamespacedPod({ namespace, labelSelector: attemptSelector(name) });
    return list.items;
  };
  const newestPodOf = async (name: string): Promise<V1Pod | undefined> => {
    const pods = await podsOf(name);
    const sorted = [...pods].sort(
      (a, b) =>
        new Date(b.metadata?.creationTimestamp ?? 0).getTime() -
        new Date(a.metadata?.creationTimestamp ?? 0).getTime(),
    );
    return sorted[0];
  };
  const newestPod = async (name: string): Promise<string | undefined> =>
    (await newestPodOf(name))?.metadata?.name;
  /** Stopped by this instance: read from the API, not the cache, until the run is seen gone. */
  const stopped = new Set<string>();
  const status = async (name: string, signal?: AbortSignal): Promise<RunStatus> => {
    signal?.throwIfAborted();
    const fresh = stopped.has(name) || cache?.jobs.get(jobNameFor(name), namespace) === undefined;
    const job = await readJob(name, fresh);
    if (job === undefined) {
      // The Job is gone, but a pod of it may still be terminating (its agent still writing to
      // the slot's workspace): the run has not ended until the last pod has.
      const live = (await podsOf(name, true)).filter(
        (p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
      );
      if (live.length > 0) return { attemptName: name, state: 'running' };
      stopped.delete(name);
      return { attemptName: name, state: 'missing' };
    }
    return runStatusOf(name, job, await podsOf(name, fresh));
  };

  return {
    jobFor: (spec) => buildAgentJob(o.settings, spec, o.buildSpec).job,
    // Two documents: the AgentJob the store writes first (the lock), then the Job.
    preview: (spec, attempt) => {
      const job = jobYaml(buildAgentJob(o.settings, spec, o.buildSpec).job);
      if (attempt === undefined) return Promise.resolve(job);
      return Promise.resolve(`${objectYaml(agentJobObject(namespace, attempt))}---\n${job}`);
    },
    ready: () => cache?.synced() ?? Promise.resolve(),
    async start(spec, signal) {
      signal?.throwIfAborted();
      const { job, droppedSecretEnv } = buildAgentJob(o.settings, spec, o.buildSpec);
      if (droppedSecretEnv.length > 0)
        logger.warn(
          { attempt: spec.attemptName, names: droppedSecretEnv },
          'secret agent env left out of the Job; put it in the family Secret',
        );
      try {
        await batch.createNamespacedJob({ namespace, body: job });
        logger.info({ attempt: spec.attemptName, job: job.metadata?.name }, 'job created');
      } catch (err) {
        // Starting a name that already runs or ran is a no-op: the Job's name is the lock.
        if (codeOf(err) !== 409) throw err;
      }
    },
    async stop(name, signal) {
      signal?.throwIfAborted();
      try {
        stopped.add(name);
        await batch.deleteNamespacedJob({
          name: jobNameFor(name),
          namespace,
          propagationPolicy: 'Background',
        });
        logger.info({ attempt: name }, 'job deleted');
      } catch (err) {
        if (codeOf(err) !== 404) throw err;
      }
    },
    status,
    async discardEnded(name, signal) {
      // Only a Job that has ended (Complete/Failed) goes; its ttlSecondsAfterFinished may be longer.
      const state = (await status(name, signal)).state;
      if (state !== 'succeeded' && state !== 'failed') return;
      try {
        await batch.deleteNamespacedJob({
          name: jobNameFor(name),
          namespace,
          propagationPolicy: 'Background',
        });
        logger.info({ attempt: name }, 'finished job removed (scan.task_ttl)');
      } catch (err) {
        if (codeOf(err) !== 404) throw err;
      }
    },
    async readLog(name, opts) {
      opts?.signal?.throwIfAborted();
      const pod = await newestPodOf(name);
      const podName = pod?.metadata?.name;
      if (podName === undefined) return '';
      const message = terminationMessage(pod);
      let log: string;
      try {
        log = await readPodLog(o.kubeConfig, namespace, podName, 'agent', opts?.tailLines);
      } catch (err) {
        // The log cannot be read (its node is gone): the termination message still has the result.
        if (message === undefined) throw err;
        logger.warn({ attempt: name, err }, 'pod log unreadable; using its termination message');
        log = '';
      }
      return withTerminationReport(log, message);
    },
    followLog: (name, signal) =>
      followPodLog({
        source: logSource,
        podOf: () => newestPod(name),
        ended: async () => {
          const s = (await status(name)).state;
          return s !== 'running';
        },
        signal,
      }),
    close: async () => {
      await cache?.stop();
    },
  };
};
