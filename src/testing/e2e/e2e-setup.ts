import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { DEFAULT_CONTROLLERS, startKubeCluster, type KubeCluster } from '../kube/kube-cluster.js';
// The `kube` entry of vitest's ProvidedContext is declared there.
import '../kube/cluster-setup.js';

/** What e2e tests get through `inject('e2e')`, next to `inject('kube')`. */
export interface E2eTarget {
  readonly agentImage: string;
  readonly k3scImage: string;
  readonly nodeName: string;
  /** The node's IP; pods reach servers exposed with `exposeToPods` there. */
  readonly nodeIp: string;
  /** The node's network namespace (`/run/netns/<netns>`). */
  readonly netns: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eTarget;
  }
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = (p: string): string => join(repoRoot, 'scripts', p);
const NODE_RUN = process.env['K3SC_NODE_RUN'] ?? '/var/tmp/k3sc-e2e';

/** Runs a script, its progress on our stderr, and returns the last line of its stdout. */
const lastLine = (file: string, env: Record<string, string> = {}): string =>
  execFileSync('bash', [file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
    .trim()
    .split('\n')
    .at(-1) ?? '';

const envFile = async (path: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await readFile(path, 'utf8'))
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );

/** Asynchronous: vitest's main process must keep its event loop free while workers exit. */
const nodeDown = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn('bash', [script('node/down.sh'), NODE_RUN], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node/down.sh exited ${code}`))));
  });

/**
 * globalSetup of the `e2e` project: builds the images (cached outside the clone by
 * scripts/images/build.sh), starts the control plane on loopback with kube-scheduler and
 * node-lifecycle-controller, brings up a real node (scripts/node/up.sh: containerd + kubelet in
 * their own network namespace, the images imported) and tears all of it down afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const imagesDir = lastLine(script('images/build.sh'));
  const images = await envFile(join(imagesDir, 'images.env'));
  const binDir = lastLine(script('kube/build.sh'), {
    K3SC_KUBE_BINS: 'etcd kube-apiserver kube-controller-manager kube-scheduler kubelet',
  });
  await nodeDown(); // a previous run that was killed hard left its node behind
  const confDir = await mkdtemp(join(tmpdir(), 'k3sc-e2e-conf-'));
  const egress = join(confDir, 'egress.yaml');
  await writeFile(
    egress,
    [
      'apiVersion: apiserver.k8s.io/v1beta1',
      'kind: EgressSelectorConfiguration',
      'egressSelections:',
      '- name: cluster',
      '  connection:',
      '    proxyProtocol: HTTPConnect',
      `    transport: {uds: {udsName: ${join(NODE_RUN, 'egress.sock')}}}`,
      '',
    ].join('\n'),
  );
  let cluster: KubeCluster | undefined;
  const teardown = async (): Promise<void> => {
    try {
      await nodeDown();
    } finally {
      await cluster?.stop();
      await rm(confDir, { recursive: true, force: true });
    }
  };
  try {
    cluster = await startKubeCluster({
      binDir,
      controllerManager: true,
      // The PV binder: tests bind a hostPath PersistentVolume to the agents' workspace claim.
      controllers: [
        ...DEFAULT_CONTROLLERS,
        'node-lifecycle-controller',
        'persistentvolume-binder-controller',
      ],
      scheduler: true,
      // The API server dials the kubelet at the node IP, through the namespace's CONNECT proxy.
      apiServerArgs: [
        `--egress-selector-config-file=${egress}`,
        '--kubelet-preferred-address-types=InternalIP',
      ],
    });
    const node = await envFile(
      lastLine(script('node/up.sh'), {
        K3SC_NODE_RUN: NODE_RUN,
        K3SC_NODE_API_PORT: new URL(cluster.server).port,
        K3SC_NODE_CA_DIR: cluster.pkiDir,
        K3SC_NODE_IMAGES: imagesDir,
        K3SC_NODE_BIN: binDir,
        K3SC_PAUSE_IMAGE: images['K3SC_PAUSE_IMAGE'] ?? 'k3sc/pause:dev',
      }),
    );
    process.stderr.write(
      `e2e: cluster ${cluster.server} and node ${node['NODE_NAME']} ready in ${Date.now() - started} ms\n`,
    );
    project.provide('kube', {
      server: cluster.server,
      caData: cluster.caData,
      adminToken: cluster.adminToken,
      userToken: cluster.userToken,
      external: false,
    });
    project.provide('e2e', {
      agentImage: images['K3SC_AGENT_IMAGE'] ?? 'k3sc/agent:dev',
      k3scImage: images['K3SC_IMAGE'] ?? 'k3sc/k3sc:dev',
      nodeName: node['NODE_NAME'] ?? '',
      nodeIp: node['NODE_IP'] ?? '',
      netns: node['NODE_NETNS'] ?? '',
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
