import { loadKubeConfig, resolveNamespace, type KubeConnectionOptions } from '../kube-client.js';
import { KubeStateStore, type KubeStateStoreOptions } from './kube-state-store.js';

export { KubeStateStore, type KubeStateStoreOptions } from './kube-state-store.js';
export { LABELS, objectName, labelValue, repoLabel } from './object-names.js';

/**
 * The state store for `runtime.kind: kubernetes`: the cluster of `kubeconfig`/`context` (or the
 * pod's own), in `namespace` (default: the pod's, the context's, else `claude-agents`).
 */
export const openKubeStateStore = (
  opts: KubeConnectionOptions & { readonly namespace?: string } & Omit<
      KubeStateStoreOptions,
      'kubeConfig' | 'namespace'
    >,
): KubeStateStore => {
  const kubeConfig = loadKubeConfig(opts);
  return new KubeStateStore({ ...opts, kubeConfig, namespace: resolveNamespace(kubeConfig, opts.namespace) });
};
