import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The transformers of the kustomize subset k3sc's manifests use (namespace, labels, images)
 * and kustomize's legacy output order, written to give exactly `kubectl kustomize`'s output.
 */
export type Obj = KubernetesObject & Record<string, unknown>;

/** Kinds kustomize never gives a namespace (cluster-scoped built-ins). */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export const isClusterScoped = (o: KubernetesObject): boolean => CLUSTER_SCOPED.has(o.kind ?? '');

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/**
 * `namespace:` as kustomize does it: every namespaced object moves there, a Namespace object is
 * renamed, and RoleBinding subjects named `default` follow. With `ownAccounts`, subjects naming a
 * ServiceAccount of these resources follow too (kustomize leaves them behind; `k3sc deploy
 * --namespace` must not, or the Role would bind an account in the old namespace).
 */
export const setNamespace = (objects: Obj[], namespace: string, ownAccounts = false): void => {
  const accounts = new Set(
    objects
      .filter((o) => o.kind === 'ServiceAccount')
      .map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`),
  );
  for (const o of objects) {
    o.metadata ??= {};
    if (o.kind === 'Namespace') o.metadata.name = namespace;
    else if (!isClusterScoped(o)) o.metadata.namespace = namespace;
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    for (const s of (o['subjects'] as Subject[] | undefined) ?? []) {
      if (s.kind !== 'ServiceAccount') continue;
      const own = ownAccounts && accounts.has(`${s.namespace ?? ''}/${s.name ?? ''}`);
      if (s.name === 'default' || own) s.namespace = namespace;
    }
  }
};

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** `labels: [{pairs, includeTemplates}]` (selectors are never touched: includeSelectors is refused). */
export const addLabels = (objects: Obj[], pairs: Record<string, string>, includeTemplates: boolean): void => {
  for (const o of objects) {
    o.metadata ??= {};
    o.metadata.labels = { ...(o.metadata.labels ?? {}), ...pairs };
    if (!includeTemplates) continue;
    const spec = o['spec'] as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
    if (POD_TEMPLATE_KINDS.has(o.kind ?? '') && spec?.template !== undefined) {
      spec.template.metadata ??= {};
      spec.template.metadata.labels = { ...(spec.template.metadata.labels ?? {}), ...pairs };
    }
  }
};

export interface ImageRule {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

const imageName = (image: string): string => {
  const at = image.indexOf('@');
  const noDigest = at === -1 ? image : image.slice(0, at);
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
};

const retag = (image: string, rule: ImageRule): string => {
  const name = rule.newName ?? imageName(image);
  if (rule.digest !== undefined) return `${name}@${rule.digest}`;
  if (rule.newTag !== undefined) return `${name}:${rule.newTag}`;
  return `${name}${image.slice(imageName(image).length)}`;
};

/** `images:` on every `containers` / `initContainers` entry anywhere in the object. */
export const setImages = (objects: Obj[], rules: readonly ImageRule[]): void => {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const rec = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
        for (const c of v as { image?: string }[]) {
          const rule = c.image === undefined ? undefined : rules.find((r) => r.name === imageName(c.image!));
          if (rule !== undefined && c.image !== undefined) c.image = retag(c.image, rule);
        }
      }
      walk(v);
    }
  };
  objects.forEach(walk);
};

/** kustomize's legacy order: these kinds first (in this order), then the rest, webhooks last. */
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const rank = (kind: string): number => {
  const first = ORDER_FIRST.indexOf(kind);
  if (first !== -1) return first - ORDER_FIRST.length;
  const last = ORDER_LAST.indexOf(kind);
  return last === -1 ? 0 : last + 1;
};

const gvkString = (o: KubernetesObject): string => {
  const [group, version] = (o.apiVersion ?? '').includes('/')
    ? (o.apiVersion ?? '').split('/')
    : ['', o.apiVersion ?? ''];
  return `${group ?? ''}_${version ?? ''}_${o.kind ?? ''}`;
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const legacySort = (objects: readonly Obj[]): Obj[] =>
  [...objects].sort(
    (a, b) =>
      rank(a.kind ?? '') - rank(b.kind ?? '') ||
      cmp(gvkString(a), gvkString(b)) ||
      cmp(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') ||
      cmp(a.metadata?.name ?? '', b.metadata?.name ?? ''),
  );
