import {
  AppsV1Api,
  CoreV1Api,
  VersionApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { join } from 'node:path';
import { K3scError } from '../../../core/errors.js';
import { callOptions, isApiStatus, kubeError } from '../kube-client.js';
import { applyObjects, ObjectApplier, type ApplyStep } from './apply-objects.js';
import { applySecrets, uncheckedSecrets, type SecretReport } from './apply-secrets.js';
import { renderKustomization, shippedManifestsDir } from './kustomize-render.js';
import type { PlannedSecret, SecretPlan } from './secret-sources.js';

export const OVERLAYS = ['k3s', 'kata'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const DEPLOYMENT = 'k3sc';
export const CONFIG_MAP = 'k3sc-config';
/** The pod-template annotation `kubectl rollout restart` sets: a new value rolls the pods. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export interface DeployOptions {
  readonly overlay: Overlay;
  readonly namespace: string;
  readonly dryRun: boolean;
  /** The in-cluster config file's text, stored as ConfigMap k3sc-config (key k3sc.yaml). */
  readonly serverConfig?: string;
  readonly manifestsDir?: string;
  readonly onStep?: (s: ApplyStep) => void;
  readonly now?: () => Date;
}

export interface RestartReport {
  readonly deployment: string;
  readonly restarted: boolean;
  readonly reason: string;
}

export interface DeployReport {
  readonly server: string;
  readonly namespace: string;
  readonly overlay: Overlay;
  readonly dryRun: boolean;
  /** False only in a dry run that could not reach the API server (objects rendered, not checked). */
  readonly reachable: boolean;
  readonly objects: readonly ApplyStep[];
  readonly secrets: readonly SecretReport[];
  readonly restart?: RestartReport;
  readonly warnings: readonly string[];
  /** The objects applied (Secrets as key names only), for `--dry-run -o yaml`. */
  readonly rendered: readonly KubernetesObject[];
}

/** The objects of an overlay of the shipped manifests, moved to `namespace`. */
export const renderOverlay = (overlay: Overlay, namespace: string, dir = shippedManifestsDir()) =>
  renderKustomization(join(dir, 'overlays', overlay), { namespace });

export const serverOf = (kc: KubeConfig): string => kc.getCurrentCluster()?.server ?? '(no server)';

/** Whether the API server answers at all; a clear error names it when it does not. */
export const reachable = async (kc: KubeConfig): Promise<K3scError | undefined> => {
  try {
    await kc.makeApiClient(VersionApi).getCode();
    return undefined;
  } catch (err) {
    const e = kubeError(err, `the Kubernetes API at ${serverOf(kc)}`);
    return e instanceof K3scError ? e : new K3scError('unavailable', String(e));
  }
};

/** A Secret as `-o yaml` shows it: key names and sources, never values. */
export const secretShape = (s: PlannedSecret, namespace: string): KubernetesObject =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: s.name, namespace },
    type: 'Opaque',
    stringData: Object.fromEntries(s.entries.map((e) => [e.key, `<from ${e.source}>`])),
  }) as KubernetesObject;

const configMap = (namespace: string, text: string): KubernetesObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CONFIG_MAP, namespace, labels: { 'app.kubernetes.io/part-of': 'k3sc' } },
    data: { 'k3sc.yaml': text },
  }) as KubernetesObject;

/** Rolls the k3sc Deployment's pods so they read changed Secrets (envFrom is read at start only). */
export const restartDeployment = async (
  kc: KubeConfig,
  namespace: string,
  now: Date,
): Promise<RestartReport> => {
  const apps = kc.makeApiClient(AppsV1Api);
  try {
    await apps.patchNamespacedDeployment(
      {
        name: DEPLOYMENT,
        namespace,
        body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } },
        fieldManager: 'k3sc-restart',
      },
      callOptions({ patch: 'merge' }),
    );
  } catch (err) {
    if (isApiStatus(err, 404))
      return { deployment: DEPLOYMENT, restarted: false, reason: `no Deployment ${namespace}/${DEPLOYMENT}` };
    throw kubeError(err, `patch Deployment ${namespace}/${DEPLOYMENT} (restart)`);
  }
  return { deployment: DEPLOYMENT, restarted: true, reason: "k3sc's own secrets changed" };
};

const serverSecretsChanged = (r: readonly SecretReport[]): boolean =>
  r.some((s) => s.role === 'server' && s.result !== 'unchanged');

/**
 * `k3sc deploy`: renders the shipped manifests, applies them with server-side apply (CRDs first,
 * Established; the Deployment last, after the Secrets it reads), creates or updates the Secrets
 * from local credential sources, and restarts an existing Deployment whose Secrets changed.
 */
export const deploy = async (kc: KubeConfig, plan: SecretPlan, o: DeployOptions): Promise<DeployReport> => {
  const objects = await renderOverlay(o.overlay, o.namespace, o.manifestsDir);
  if (o.serverConfig !== undefined)
    objects.push(configMap(o.namespace, o.serverConfig) as (typeof objects)[0]);
  const shapes = plan.secrets.map((s) => secretShape(s, o.namespace));
  const base = {
    server: serverOf(kc),
    namespace: o.namespace,
    overlay: o.overlay,
    dryRun: o.dryRun,
    rendered: [...objects, ...shapes],
  };
  const warnings = [...plan.warnings];
  const down = await reachable(kc);
  if (down !== undefined) {
    if (!o.dryRun) throw down;
    const applier = new ObjectApplier(kc);
    const steps = objects.map((x) => applier.step(x, 'unchecked'));
    steps.forEach((s) => o.onStep?.(s));
    warnings.push(`${down.message}: rendered locally, not checked by the server`);
    return {
      ...base,
      reachable: false,
      objects: steps,
      secrets: uncheckedSecrets(o.namespace, plan.secrets),
      warnings,
    };
  }
  const isDeployment = (x: KubernetesObject): boolean => x.kind === 'Deployment';
  const first = await applyObjects(
    kc,
    objects.filter((x) => !isDeployment(x)),
    o,
  );
  const secrets = await applySecrets(kc, o.namespace, plan.secrets, { dryRun: o.dryRun });
  const last = await applyObjects(kc, objects.filter(isDeployment), o);
  const deployment = last.find((s) => s.name === DEPLOYMENT);
  if (o.serverConfig === undefined && !o.dryRun) {
    const hasConfig = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: CONFIG_MAP, namespace: o.namespace })
      .then(
        () => true,
        () => false,
      );
    if (!hasConfig)
      warnings.push(
        `no ConfigMap ${o.namespace}/${CONFIG_MAP}: the k3sc pod cannot start until it exists (k3sc deploy --server-config <file>)`,
      );
  }
  let restart: RestartReport | undefined;
  if (serverSecretsChanged(secrets) && deployment !== undefined && deployment.result !== 'created')
    restart = o.dryRun
      ? { deployment: DEPLOYMENT, restarted: false, reason: 'dry run: would restart (its secrets change)' }
      : await restartDeployment(kc, o.namespace, (o.now ?? (() => new Date()))());
  return {
    ...base,
    reachable: true,
    objects: [...first, ...last],
    secrets,
    ...(restart === undefined ? {} : { restart }),
    warnings,
  };
};
