import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';
import { repoRoot } from './kube-test-env.js';

/** `kubectl kustomize` of a folder under manifests/, as typed objects. */
export const buildManifests = (dir: string): KubernetesObject[] => {
  const yaml = execFileSync('kubectl', ['kustomize', join(repoRoot, 'manifests', dir)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return loadAllYaml(yaml) as KubernetesObject[];
};

/** The same objects moved to another namespace (RoleBinding subjects included). */
export const inNamespace = (objects: readonly KubernetesObject[], namespace: string): KubernetesObject[] =>
  objects.map((o) => {
    const copy = structuredClone(o) as KubernetesObject & { subjects?: { namespace?: string }[] };
    if (copy.metadata?.namespace !== undefined) copy.metadata.namespace = namespace;
    for (const s of copy.subjects ?? []) if (s.namespace !== undefined) s.namespace = namespace;
    return copy;
  });
