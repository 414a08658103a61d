import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Kubernetes control plane on 127.0.0.1 for tests: etcd, kube-apiserver (token auth,
 * RBAC) and optionally kube-controller-manager, from the binaries scripts/kube/build.sh builds
 * into the cache outside the clone. Nothing listens beyond loopback.
 */
export interface KubeCluster {
  readonly server: string;
  readonly caFile: string;
  readonly caData: string;
  /** In `system:masters`. */
  readonly adminToken: string;
  /** `alice`, group `devs`, no RBAC bindings: everything is forbidden until a test grants it. */
  readonly userToken: string;
  readonly runDir: string;
  /** The PKI folder: `ca.crt`/`ca.key` sign node (kubelet) certificates. */
  readonly pkiDir: string;
  /** etcd's client URL (loopback), e.g. for a test that compacts history to provoke 410 Gone. */
  readonly etcdUrl: string;
  /** Writes a kubeconfig for a token (admin when omitted) and returns its path. */
  kubeconfig(token?: string, namespace?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface KubeClusterOptions {
  readonly binDir: string;
  readonly controllerManager?: boolean;
  /** Controllers for kube-controller-manager (default: jobs, TTL, namespaces, service accounts, GC). */
  readonly controllers?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** Also run kube-scheduler (for a real node; pair with `node-lifecycle-controller`). */
  readonly scheduler?: boolean;
  /** Extra kube-apiserver flags, e.g. `--egress-selector-config-file=…` for the e2e node. */
  readonly apiServerArgs?: readonly string[];
}

export const DEFAULT_CONTROLLERS = [
  'job-controller',
  'ttl-after-finished-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'garbage-collector-controller',
  'pod-garbage-collector-controller',
];

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

const makePki = async (dir: string): Promise<void> => {
  await mkdir(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const p = (f: string): string => join(dir, f);
  openssl([
    'req',
    '-x509',
    ...ec,
    '-nodes',
    '-sha256',
    '-days',
    '3650',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-subj',
    '/CN=k3sc-test-ca',
  ]);
  openssl([
    'req',
    ...ec,
    '-nodes',
    '-sha256',
    '-keyout',
    p('apiserver.key'),
    '-out',
    p('apiserver.csr'),
    '-subj',
    '/CN=kube-apiserver',
  ]);
  await writeFile(
    p('apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n',
  );
  openssl([
    'x509',
    '-req',
    '-sha256',
    '-days',
    '3650',
    '-in',
    p('apiserver.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('apiserver.crt'),
    '-extfile',
    p('apiserver.ext'),
  ]);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('sa.key')]);
  openssl(['ec', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub')]);
};

/** One GET; resolves true on a 2xx. TLS is checked against `ca` when given. */
const probe = (url: string, headers: Record<string, string>, ca?: string): Promise<boolean> =>
  new Promise((resolve) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        headers,
        timeout: 2_000,
        ...(u.protocol === 'https:' ? (ca === undefined ? { rejectUnauthorized: false } : { ca }) : {}),
      },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 300);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });

const waitReady = async (
  url: string,
  child: ChildProcess,
  name: string,
  logFile: string,
  timeoutMs: number,
  headers: Record<string, string>,
  ca?: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${log.slice(-3000)}`);
    }
    if (await probe(url, headers, ca)) return;
    if (Date.now() > deadline)
      throw new Error(`${name} not ready after ${timeoutMs} ms (${url}); log: ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

export const startKubeCluster = async (opts: KubeClusterOptions): Promise<KubeCluster> => {
  const runDir = await mkdtemp(join(tmpdir(), 'k3sc-kube-'));
  const pki = join(runDir, 'pki');
  await makePki(pki);
  const adminToken = randomBytes(24).toString('hex');
  const userToken = randomBytes(24).toString('hex');
  const kcmToken = randomBytes(24).toString('hex');
  await writeFile(
    join(pki, 'tokens.csv'),
    `${adminToken},kube-admin,uid-admin,"system:masters"\n${userToken},alice,uid-alice,"devs"\n${kcmToken},system:kube-controller-manager,uid-kcm,"system:masters"\n`,
    { mode: 0o600 },
  );
  const [etcdPort, peerPort, apiPort, kcmPort, schedPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const children: ChildProcess[] = [];
  const run = (name: string, bin: string, args: string[]): { child: ChildProcess; log: string } => {
    const log = join(runDir, `${name}.log`);
    const child = spawn(join(opts.binDir, bin), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createWriteStream(log);
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    children.push(child);
    return { child, log };
  };
  const stop = async (): Promise<void> => {
    for (const c of [...children].reverse()) {
      if (c.exitCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(runDir, { recursive: true, force: true });
  };
  const timeout = opts.readyTimeoutMs ?? 120_000;
  try {
    const etcd = run('etcd', 'etcd', [
      '--name=k3sc-test',
      `--data-dir=${join(runDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=k3sc-test=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await waitReady(`http://127.0.0.1:${etcdPort}/health`, etcd.child, 'etcd', etcd.log, 30_000, {});
    const caData = await readFile(join(pki, 'ca.crt'), 'utf8');
    const api = run('kube-apiserver', 'kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
      `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
      `--client-ca-file=${join(pki, 'ca.crt')}`,
      `--token-auth-file=${join(pki, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      '--api-audiences=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(pki, 'generated')}`,
      '--profiling=false',
      '--v=1',
      ...(opts.apiServerArgs ?? []),
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    await waitReady(
      `${server}/readyz`,
      api.child,
      'kube-apiserver',
      api.log,
      timeout,
      { authorization: `Bearer ${adminToken}` },
      caData,
    );
    const kubeconfig = async (token = adminToken, namespace = 'default'): Promise<string> => {
      const path = join(runDir, `kubeconfig-${randomBytes(4).toString('hex')}`);
      const text = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: test\n  cluster:\n    server: ${server}\n    certificate-authority: ${join(pki, 'ca.crt')}`,
        'users:',
        `- name: u\n  user:\n    token: ${token}`,
        'contexts:',
        `- name: test\n  context: {cluster: test, user: u, namespace: ${namespace}}`,
        'current-context: test',
        '',
      ].join('\n');
      await writeFile(path, text, { mode: 0o600 });
      return path;
    };
    if (opts.controllerManager === true) {
      const kc = await kubeconfig(kcmToken);
      const kcm = run('kube-controller-manager', 'kube-controller-manager', [
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--cert-dir=${join(pki, 'kcm')}`,
        '--leader-elect=false',
        `--controllers=${(opts.controllers ?? DEFAULT_CONTROLLERS).join(',')}`,
        `--service-account-private-key-file=${join(pki, 'sa.key')}`,
        `--root-ca-file=${join(pki, 'ca.crt')}`,
        '--use-service-account-credentials=false',
        '--v=1',
      ]);
      await waitReady(
        `https://127.0.0.1:${kcmPort}/healthz`,
        kcm.child,
        'kube-controller-manager',
        kcm.log,
        60_000,
        { authorization: `Bearer ${adminToken}` },
      );
    }
    if (opts.scheduler === true) {
      const kc = await kubeconfig(kcmToken);
      const sched = run('kube-scheduler', 'kube-scheduler', [
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        `--cert-dir=${join(pki, 'scheduler')}`,
        '--leader-elect=false',
        '--v=1',
      ]);
      await waitReady(
        `https://127.0.0.1:${schedPort}/healthz`,
        sched.child,
        'kube-scheduler',
        sched.log,
        60_000,
        {
          authorization: `Bearer ${adminToken}`,
        },
      );
    }
    const caFile = join(pki, 'ca.crt');
    return {
      server,
      caFile,
      caData,
      adminToken,
      userToken,
      runDir,
      pkiDir: pki,
      etcdUrl: `http://127.0.0.1:${etcdPort}`,
      kubeconfig,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
};
