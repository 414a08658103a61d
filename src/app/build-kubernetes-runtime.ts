import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { K3scConfig } from '../adapters/config/index.js';
import { loadKubeConfig } from '../adapters/kubernetes/kube-config.js';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from '../adapters/kubernetes/job-settings.js';
import { createKubernetesRuntime } from '../adapters/kubernetes/kubernetes-runtime.js';
import { LeaderElector } from '../adapters/kubernetes/leader-election.js';
import { K3scError } from '../core/errors.js';
import type { BuiltRuntime, RuntimeInputs } from './build-runtime.js';

/** `runtime.kubernetes` (and `agents.<family>.image`) as the Job builder's settings. */
export const jobSettingsOf = (config: K3scConfig): JobSettings => {
  const k = config.runtime.kubernetes;
  return {
    ...DEFAULT_JOB_SETTINGS,
    namespace: k.namespace,
    ...(k.image === undefined ? {} : { image: k.image }),
    imageOf: (family) => config.agents[family]?.image,
    ...(k.imagePullPolicy === undefined ? {} : { imagePullPolicy: k.imagePullPolicy }),
    ...(k.serviceAccount === undefined ? {} : { serviceAccountName: k.serviceAccount }),
    ...(k.runtimeClass === undefined ? {} : { runtimeClassName: k.runtimeClass }),
    ...(k.workspaceClaim === undefined ? {} : { workspaceClaim: k.workspaceClaim }),
    ttlSecondsAfterFinished: Math.round(k.jobTtlMs / 1000),
  };
};

/** This replica's name in the leader Lease: the pod name (HOSTNAME) plus a random suffix. */
const identity = (env: NodeJS.ProcessEnv): string =>
  `${env['POD_NAME'] ?? env['HOSTNAME'] ?? hostname()}-${randomBytes(3).toString('hex')}`;

/** Agents as Jobs; a serving replica also watches them and campaigns for the leader Lease. */
export const buildKubernetesRuntime = (
  i: RuntimeInputs,
  env: NodeJS.ProcessEnv = process.env,
): BuiltRuntime => {
  const k = i.config.runtime.kubernetes;
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(
      {
        ...(k.kubeconfig === undefined ? {} : { kubeconfig: k.kubeconfig }),
        ...(k.context === undefined ? {} : { context: k.context }),
      },
      env,
    );
  } catch (err) {
    throw new K3scError(
      'config_invalid',
      `runtime.kind kubernetes: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const serving = i.serving ?? false;
  const settings = jobSettingsOf(i.config);
  const runtime = createKubernetesRuntime({
    kubeConfig,
    settings,
    buildSpec: i.buildSpec,
    logger: i.logger,
    onExit: i.onExit,
    watch: serving,
  });
  const leader = serving
    ? new LeaderElector({
        kubeConfig,
        namespace: settings.namespace,
        logger: i.logger,
        ...i.leaderElection,
        identity: i.leaderElection?.identity ?? identity(env),
      })
    : undefined;
  // Jobs are not this process's children: closing never stops them (the next leader adopts them).
  return { runtime, ...(leader === undefined ? {} : { leader }), close: () => runtime.close() };
};
