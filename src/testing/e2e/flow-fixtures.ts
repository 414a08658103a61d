import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { CoreV1Api } from '@kubernetes/client-node';

// Fixtures of the sandbox flow on the real node (src/app/kubernetes-sandbox-flow.e2e.test.ts).
const run = promisify(execFile);

const freePort = async (): Promise<number> => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
};

export interface GitDaemon {
  readonly port: number;
  /** The bare repository on disk (for checks). */
  readonly bare: string;
  /** The clone URL as seen from `host` (e.g. the node IP and exposed port). */
  url(host: string): string;
  stop(): void;
}

/** A bare repository `<name>.git` (default branch `trunk`) served read-write over git:// on 127.0.0.1. */
export const startGitDaemon = async (base: string, name: string): Promise<GitDaemon> => {
  const bare = join(base, `${name}.git`);
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=trunk', bare]);
  const work = join(dirname(base), 'seed');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'seed',
    GIT_AUTHOR_EMAIL: 'seed@k3sc.invalid',
    GIT_COMMITTER_NAME: 'seed',
    GIT_COMMITTER_EMAIL: 'seed@k3sc.invalid',
  };
  await run('git', ['init', '--quiet', '--initial-branch=trunk', work]);
  await writeFile(join(work, 'greet.js'), 'export const greet = (name) => `hello ${name}`;\n');
  await run('git', ['add', '.'], { cwd: work, env });
  await run('git', ['commit', '--quiet', '-m', 'Initial commit'], { cwd: work, env });
  await run('git', ['push', '--quiet', bare, 'trunk'], { cwd: work, env });
  const port = await freePort();
  const daemon = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${base}`,
      '--export-all',
      '--enable=receive-pack',
      base,
    ],
    { stdio: 'ignore' },
  );
  return {
    port,
    bare,
    url: (host) => `git://${host}/${name}.git`,
    stop: () => void daemon.kill('SIGTERM'),
  };
};

/**
 * The agents' workspace claim `k3sc-workspaces` in `namespace`, bound to a hostPath volume at
 * `path` on the node (world-writable: the agents' UID 1000 writes it). Returns the PV's name.
 */
export const workspaceVolume = async (core: CoreV1Api, namespace: string, path: string): Promise<string> => {
  await mkdir(path, { recursive: true });
  await chmod(path, 0o777);
  const pv = `${namespace}-workspaces`;
  await core.createPersistentVolume({
    body: {
      metadata: { name: pv },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path, type: 'Directory' },
        claimRef: { namespace, name: 'k3sc-workspaces' },
      },
    },
  });
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: 'k3sc-workspaces' },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        volumeName: pv,
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  return pv;
};
