import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  loadYaml,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { startKubeCluster, type KubeCluster } from '../testing/kube/kube-cluster.js';
import { sleep } from './owner-label.js';

/** The binaries scripts/kube/build.sh caches outside the clone (the bench never builds them). */
export const kubeBinDir = (): string | undefined => {
  const cache = process.env['K3SC_KUBE_CACHE'] ?? '/var/cache/k3sc-kube';
  const dir = join(cache, 'bin', 'kube-v1.37.2-etcd-v3.7.3');
  return ['etcd', 'kube-apiserver'].every((b) => existsSync(join(dir, b))) ? dir : undefined;
};

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchCluster {
  readonly cluster: KubeCluster;
  /** Admin, straight to the API server. */
  readonly kc: KubeConfig;
  /** A KubeConfig for `server` (a counting proxy, a TCP proxy) with the admin token. */
  configFor(server: string): KubeConfig;
  /** A fresh namespace with the agents' service account; returns its name. */
  namespace(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** etcd + kube-apiserver on loopback (no controller-manager: nothing else talks to it), CRDs installed. */
export const startBenchCluster = async (binDir: string): Promise<BenchCluster> => {
  const cluster = await startKubeCluster({ binDir, controllerManager: false });
  const configFor = (server: string): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node refuses plain HTTP unless TLS checks are off: the counting proxy is loopback only.
      clusters: [
        server.startsWith('http:')
          ? { name: 'b', server, skipTLSVerify: true }
          : { name: 'b', server, caData: Buffer.from(cluster.caData).toString('base64') },
      ],
      users: [{ name: 'u', token: cluster.adminToken }],
      contexts: [{ name: 'b', cluster: 'b', user: 'u' }],
      currentContext: 'b',
    });
    return kc;
  };
  const kc = configFor(cluster.server);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const dir = join(repoRoot, 'manifests/base/crds');
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.yaml'))) {
    const crd = loadYaml<V1CustomResourceDefinition>(await readFile(join(dir, f), 'utf8'));
    await ext.createCustomResourceDefinition({ body: crd });
    for (;;) {
      const got = await ext.readCustomResourceDefinition({ name: crd.metadata!.name! });
      if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      await sleep(100);
    }
  }
  await sleep(2_500); // a CRD's first create within 2 s of Established waits on purpose
  const core = kc.makeApiClient(CoreV1Api);
  return {
    cluster,
    kc,
    configFor,
    namespace: async (name) => {
      await core.createNamespace({ body: { metadata: { name } } });
      await core.createNamespacedServiceAccount({
        namespace: name,
        body: { metadata: { name: 'k3sc-agent' } },
      });
      return name;
    },
    stop: () => cluster.stop(),
  };
};

/** Writes `kc` to a file for runtime.kubernetes.kubeconfig. */
export const kubeconfigFile = async (kc: KubeConfig, path: string): Promise<string> => {
  await writeFile(path, kc.exportConfig(), { mode: 0o600 });
  return path;
};

export interface CountingProxy {
  readonly url: string;
  /** Requests since the last reset, by kind: `watch`, `get` (reads and lists), `write`. */
  counts(): { total: number; watch: number; get: number; write: number };
  reset(): void;
  close(): Promise<void>;
}

/**
 * A plain-HTTP proxy on loopback in front of the HTTPS API server that counts every request
 * (a watch counts once, when it starts). The clients behind it are the only ones it sees.
 */
export const startCountingProxy = async (cluster: KubeCluster): Promise<CountingProxy> => {
  const target = new URL(cluster.server);
  let c = { total: 0, watch: 0, get: 0, write: 0 };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    c.total++;
    if (/[?&]watch=(true|1)/.test(url)) c.watch++;
    else if (req.method === 'GET') c.get++;
    else c.write++;
    const up = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: url,
        headers: { ...req.headers, host: target.host },
        ca: cluster.caData,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...c }),
    reset: () => {
      c = { total: 0, watch: 0, get: 0, write: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
