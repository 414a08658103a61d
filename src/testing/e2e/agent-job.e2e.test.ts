import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, plainJob, runJob, succeeded, withNamespace } from './e2e-jobs.js';

// Real pods on the real node (scripts/node/up.sh): the images built by scripts/images/build.sh,
// run by containerd, their logs read through the API server.
const kc = adminKubeConfig();
let ns: { name: string; drop: () => Promise<void> };
beforeAll(async () => {
  ns = await withNamespace(kc, 'e2e-agent');
});
afterAll(async () => {
  await ns.drop();
});

/** One line of each CA certificate the build machine added: none may be left in an image. */
const hostCaNeedles = (): string[] => {
  const dir = '/usr/local/share/ca-certificates';
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.crt'));
  } catch {
    return [];
  }
  return files
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n')[5] ?? '')
    .filter((l) => l.length > 40);
};

describe('the agent image on a real node', () => {
  it("runs the runner's --help in a Job that reaches Complete, its log read through the API server", async () => {
    const { agentImage } = inject('e2e');
    const r = await runJob(
      kc,
      ns.name,
      plainJob('runner-help', { name: 'runner', image: agentImage, args: ['k3sc-runner', '--help'] }),
    );
    expect(succeeded(r.job)).toBe(true);
    expect(r.job.status?.succeeded).toBe(1);
    expect(r.log).toContain('usage: k3sc-runner --spec <file>');
  });

  it('runs as UID 1000 with Node 20, the CLIs and no build-machine CA left', async () => {
    const { agentImage } = inject('e2e');
    const needles = hostCaNeedles();
    const script = [
      'echo "uid=$(id -u) gid=$(id -g)"',
      'k3sc-runner --version',
      'git --version',
      'gh --version | head -1',
      'echo "claude=$(claude --version 2>&1 | head -1)"',
      'echo "extra-cas=$(ls /usr/local/share/ca-certificates | wc -l)"',
      'for n in "$@"; do grep -rlF -- "$n" /etc/ssl /usr/local/share/ca-certificates /etc/ca-certificates* && echo LEAKED; done',
      'echo done',
    ].join('; ');
    const r = await runJob(
      kc,
      ns.name,
      plainJob('agent-facts', {
        name: 'facts',
        image: agentImage,
        command: ['sh', '-c', script, 'sh', ...needles],
      }),
    );
    expect(r.log).toContain('uid=1000 gid=1000');
    expect(r.log).toMatch(/k3sc-runner \S+ \(node v20\./);
    expect(r.log).toMatch(/git version 2\./);
    expect(r.log).toMatch(/gh version 2\./);
    expect(r.log).toMatch(/claude=\d+\.\d+\.\d+/);
    expect(r.log).toContain('extra-cas=0');
    expect(r.log).not.toContain('LEAKED');
    expect(r.log).toContain('done');
    expect(succeeded(r.job)).toBe(true);
  });

  it('runs the stub agent under a hardened pod: read-only root, non-root, writable emptyDirs only', async () => {
    const { agentImage } = inject('e2e');
    const job = plainJob('stub-agent', {
      name: 'agent',
      image: agentImage,
      command: [
        'sh',
        '-c',
        'mkdir /workspace/repo && cd /workspace/repo && git init -q && git config user.email e2e@k3sc.test && git config user.name e2e && k3sc-stub-agent "Implement issue #7" && git log --oneline | wc -l && ! touch /opt/k3sc/x 2>/dev/null && echo read-only-root',
      ],
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
      volumeMounts: ['home', 'tmp', 'workspace'].map((v) => ({
        name: v,
        mountPath: v === 'home' ? '/home/agent' : `/${v}`,
      })),
    });
    job.spec!.template.spec!.volumes = ['home', 'tmp', 'workspace'].map((name) => ({ name, emptyDir: {} }));
    const r = await runJob(kc, ns.name, job);
    const events = r.log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; subtype?: string });
    expect(events.at(0), r.log).toMatchObject({ type: 'system', subtype: 'init' });
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success' });
    expect(r.log).toMatch(/^1$/m); // the stub's commit
    expect(r.log).toContain('read-only-root');
    expect(succeeded(r.job)).toBe(true);
  });
});

describe('the k3sc image on a real node', () => {
  it('prints `k3sc --help` as a non-root user', async () => {
    const { k3scImage } = inject('e2e');
    const r = await runJob(
      kc,
      ns.name,
      plainJob('k3sc-help', {
        name: 'k3sc',
        image: k3scImage,
        command: ['sh', '-c', 'echo "uid=$(id -u)"; exec node /opt/k3sc/bin/k3sc.js --help'],
      }),
    );
    expect(r.log).toContain('uid=1000');
    expect(r.log).toMatch(/serve/);
    expect(succeeded(r.job)).toBe(true);
  });
});
