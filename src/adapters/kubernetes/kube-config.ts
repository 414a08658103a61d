import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigSource {
  /** `runtime.kubernetes.kubeconfig`: a kubeconfig file. */
  readonly kubeconfig?: string;
  /** `runtime.kubernetes.context`: a context of that file (default: its current one). */
  readonly context?: string;
}

/**
 * Where k3sc finds its cluster: the configured kubeconfig file; else, inside a pod, the service
 * account (in-cluster); else KUBECONFIG or ~/.kube/config, as kubectl does.
 */
export const loadKubeConfig = (
  src: KubeConfigSource,
  env: Readonly<Record<string, string | undefined>>,
): KubeConfig => {
  const kc = new KubeConfig();
  if (src.kubeconfig !== undefined) kc.loadFromFile(src.kubeconfig);
  else if (env['KUBERNETES_SERVICE_HOST'] !== undefined && src.context === undefined) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (src.context !== undefined) kc.setCurrentContext(src.context);
  if (kc.getCurrentCluster() === null)
    throw new Error(
      'no Kubernetes cluster found: set runtime.kubernetes.kubeconfig, run inside a pod, or set KUBECONFIG',
    );
  return kc;
};
