import type { V1Container, V1Job, V1PodSpec } from '@kubernetes/client-node';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import { isSecretEntry } from '../../core/secrets/index.js';
import { annotationsFor, jobNameFor, labelsFor, labelValue } from './labels.js';
import { CACHE_ENV, CACHE_SUBPATH, PATHS, SPEC_ENV, type JobSettings } from './job-settings.js';

export interface BuiltJob {
  readonly job: V1Job;
  /** Names of `agent.env` entries left out of the Job because they are secrets (they belong in the family Secret). */
  readonly droppedSecretEnv: readonly string[];
}

/**
 * The spec as the container gets it: secret `agent.env` entries (the one rule in
 * src/core/secrets) never go into a Job — the family Secret holds them.
 */
const publicSpec = (spec: RunnerSpec): { spec: RunnerSpec; dropped: string[] } => {
  const entries = Object.entries(spec.agent.env ?? {});
  const dropped = entries.filter(([k, v]) => isSecretEntry(k, v)).map(([k]) => k);
  if (dropped.length === 0) return { spec, dropped };
  const kept = Object.fromEntries(entries.filter(([k, v]) => !isSecretEntry(k, v)));
  return { spec: { ...spec, agent: { ...spec.agent, env: kept } }, dropped };
};

const container = (settings: JobSettings, run: RunSpec, spec: RunnerSpec): V1Container => ({
  name: 'agent',
  image: settings.imageOf?.(run.family) ?? settings.image,
  imagePullPolicy: settings.imagePullPolicy,
  command: [...settings.runnerCommand, '--spec-env', SPEC_ENV],
  env: [
    { name: SPEC_ENV, value: JSON.stringify(spec) },
    { name: 'HOME', value: PATHS.home },
    { name: 'TMPDIR', value: PATHS.tmp },
    ...Object.entries(CACHE_ENV).map(([name, value]) => ({ name, value })),
  ],
  envFrom: [{ secretRef: { name: settings.secretOf(run.family), optional: false } }],
  resources: { requests: { ...settings.resources.requests }, limits: { ...settings.resources.limits } },
  securityContext: {
    runAsNonRoot: true,
    runAsUser: settings.uid,
    runAsGroup: settings.gid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  volumeMounts: [
    { name: 'workspace', mountPath: PATHS.workspace, subPath: labelValue(run.slot) },
    // Shared by every slot of the farm: cargo, npm, pip and go caches; `k3sc-build-lock` serialises builds on it.
    { name: 'workspace', mountPath: PATHS.cache, subPath: CACHE_SUBPATH },
    { name: 'home', mountPath: PATHS.home },
    { name: 'tmp', mountPath: PATHS.tmp },
  ],
  terminationMessagePolicy: 'FallbackToLogsOnError',
});

const podSpec = (settings: JobSettings, run: RunSpec, spec: RunnerSpec): V1PodSpec => ({
  restartPolicy: 'Never',
  serviceAccountName: settings.serviceAccountName,
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  ...(settings.runtimeClassName === undefined ? {} : { runtimeClassName: settings.runtimeClassName }),
  securityContext: {
    runAsNonRoot: true,
    runAsUser: settings.uid,
    runAsGroup: settings.gid,
    fsGroup: settings.gid,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  containers: [container(settings, run, spec)],
  volumes: [
    { name: 'workspace', persistentVolumeClaim: { claimName: settings.workspaceClaim } },
    { name: 'home', emptyDir: {} },
    { name: 'tmp', emptyDir: {} },
  ],
});

/**
 * The Job of one attempt. Never two agent pods for one attempt: no retries (`backoffLimit: 0`),
 * a replacement pod only once the old one has fully failed (`podReplacementPolicy: Failed`),
 * and a disruption (eviction, preemption, node drain) does not count as the attempt failing.
 */
export const buildAgentJob = (
  settings: JobSettings,
  run: RunSpec,
  buildSpec: (run: RunSpec, workspace: string) => RunnerSpec,
): BuiltJob => {
  const { spec, dropped } = publicSpec(buildSpec(run, PATHS.workspace));
  const labels = labelsFor(run);
  const annotations = annotationsFor(run);
  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobNameFor(run.attemptName), namespace: settings.namespace, labels, annotations },
    spec: {
      backoffLimit: 0,
      completions: 1,
      parallelism: 1,
      podReplacementPolicy: 'Failed',
      podFailurePolicy: {
        rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      },
      activeDeadlineSeconds: Math.max(1, Math.ceil(run.deadlineSeconds)),
      ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished,
      template: { metadata: { labels, annotations }, spec: podSpec(settings, run, spec) },
    },
  };
  return { job, droppedSecretEnv: dropped };
};
