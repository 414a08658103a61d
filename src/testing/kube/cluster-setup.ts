import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startKubeCluster, type KubeCluster } from './kube-cluster.js';

/** What cluster tests get through `inject('kube')`. */
export interface KubeTarget {
  readonly server: string;
  readonly caData: string;
  readonly adminToken: string;
  readonly userToken: string;
  /** True when the tests run against a cluster given by `K3SC_TEST_KUBECONFIG` instead of their own. */
  readonly external: boolean;
  readonly externalKubeconfig?: string;
  /** etcd of the cluster this setup started (absent for an external cluster). */
  readonly etcdUrl?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kube: KubeTarget;
  }
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * globalSetup of the `cluster` project: builds (once, cached outside the clone by
 * scripts/kube/build.sh) and starts etcd + kube-apiserver + kube-controller-manager on
 * loopback, or uses the cluster of `K3SC_TEST_KUBECONFIG`, and hands it to the tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.K3SC_TEST_KUBECONFIG;
  if (external !== undefined && external !== '') {
    project.provide('kube', {
      server: '',
      caData: '',
      adminToken: '',
      userToken: '',
      external: true,
      externalKubeconfig: external,
    });
    return () => Promise.resolve();
  }
  const started = Date.now();
  const out = execFileSync('bash', [join(repoRoot, 'scripts/kube/build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, K3SC_KUBE_BINS: 'etcd kube-apiserver kube-controller-manager' },
  });
  const binDir = out.trim().split('\n').at(-1) ?? '';
  const cluster: KubeCluster = await startKubeCluster({ binDir, controllerManager: true });
  process.stderr.write(
    `kube: ${cluster.server} ready in ${Date.now() - started} ms (run dir ${cluster.runDir})\n`,
  );
  project.provide('kube', {
    server: cluster.server,
    caData: cluster.caData,
    adminToken: cluster.adminToken,
    userToken: cluster.userToken,
    etcdUrl: cluster.etcdUrl,
    external: false,
  });
  return () => cluster.stop();
}
