import type { KubeConfig } from '@kubernetes/client-node';
import { K3scError } from '../../../core/errors.js';
import { applySecrets, type SecretReport } from './apply-secrets.js';
import { reachable, restartDeployment, serverOf, DEPLOYMENT, type RestartReport } from './deploy.js';
import type { SecretPlan } from './secret-sources.js';

export interface RotateOptions {
  readonly namespace: string;
  /** Only this family's agent Secret (k3sc's own Secrets are left alone). */
  readonly family?: string;
  readonly dryRun: boolean;
  readonly now?: () => Date;
}

export interface RotateReport {
  readonly server: string;
  readonly namespace: string;
  readonly dryRun: boolean;
  readonly secrets: readonly SecretReport[];
  readonly restart?: RestartReport;
  readonly warnings: readonly string[];
}

/**
 * `k3sc rotate-secrets`: the Secrets from the current local sources, without touching the
 * manifests. Agent pods read their Secret when they start, so the next attempt uses the new
 * keys; when k3sc's own Secrets changed, its Deployment is restarted (restartedAt annotation).
 */
export const rotateSecrets = async (
  kc: KubeConfig,
  plan: SecretPlan,
  o: RotateOptions,
): Promise<RotateReport> => {
  let chosen = plan.secrets;
  if (o.family !== undefined) {
    chosen = plan.secrets.filter((s) => s.family === o.family);
    if (chosen.length === 0)
      throw new K3scError(
        'bad_input',
        `--family ${o.family}: not a configured family (families: ${plan.secrets.flatMap((s) => s.family ?? []).join(', ')})`,
      );
  }
  const down = await reachable(kc);
  if (down !== undefined) throw down;
  const secrets = await applySecrets(kc, o.namespace, chosen, { dryRun: o.dryRun });
  const serverChanged = secrets.some((s) => s.role === 'server' && s.result !== 'unchanged');
  let restart: RestartReport | undefined;
  if (serverChanged)
    restart = o.dryRun
      ? {
          deployment: DEPLOYMENT,
          restarted: false,
          reason: "dry run: would restart (k3sc's own secrets change)",
        }
      : await restartDeployment(kc, o.namespace, (o.now ?? (() => new Date()))());
  const warnings = plan.warnings.filter((w) => o.family === undefined || w.startsWith(`family ${o.family}:`));
  return {
    server: serverOf(kc),
    namespace: o.namespace,
    dryRun: o.dryRun,
    secrets,
    ...(restart === undefined ? {} : { restart }),
    warnings,
  };
};
