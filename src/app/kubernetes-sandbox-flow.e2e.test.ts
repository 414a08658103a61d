import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../adapters/config/index.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import { buildFarm, type BuiltFarm } from './build-farm.js';
import { runWhileLeader } from './leader-gate.js';
import type { EngineEvent } from '../core/engine/events.js';
import { silentLogger } from '../core/ports/logger.js';
import { adminKubeConfig, plainJob, runJob, succeeded, withNamespace } from '../testing/e2e/e2e-jobs.js';
import { exposeToPods, type Exposed } from '../testing/e2e/pod-reach.js';
import { installCrds } from '../testing/kube/kube-test-env.js';
import { startGitDaemon, workspaceVolume, type GitDaemon } from '../testing/e2e/flow-fixtures.js';
import { AGENT_SELECTOR, ANNOTATION } from '../adapters/kubernetes/labels.js';

// The sandbox flow with runtime.kind kubernetes on the real node: a farm built as serve builds
// it (KubeStateStore + KubernetesRuntime + the leader Lease), the GitHub fake and a git daemon on
// the host's loopback reached by the pods through exposeToPods, and the agent image's runner and
// stub agent really running in each attempt's Job.
const run = promisify(execFile);
const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const REPO = { owner: 'sandbox', name: 'hello-k3sc' };
const TOKEN = 'sandbox-e2e-token-not-a-secret';
const FAMILIES = ['claude', 'codex'];

let ns: { name: string; drop: () => Promise<void> };
let dir: string;
let github: GitHubFake;
let gitDaemon: GitDaemon | undefined;
const exposed: Exposed[] = [];
let built: BuiltFarm;
let issue: number;
const abort = new AbortController();
let loop: Promise<void>;
const transitions: string[] = [];
const lines: string[] = [];
let finished: (() => void) | undefined;
const done = new Promise<void>((r) => (finished = r));

beforeAll(async () => {
  const { agentImage } = inject('e2e');
  ns = await withNamespace(kc, 'e2e-flow');
  dir = await mkdtemp(join(tmpdir(), 'k3sc-e2e-flow-'));
  await chmod(dir, 0o755);
  await installCrds(kc);
  await core.createNamespacedServiceAccount({
    namespace: ns.name,
    body: { metadata: { name: 'k3sc-agent' } },
  });
  for (const family of FAMILIES)
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: `k3sc-agent-${family}` }, stringData: { GITHUB_TOKEN: TOKEN } },
    });
  await workspaceVolume(core, ns.name, join(dir, 'workspaces'));

  gitDaemon = await startGitDaemon(join(dir, 'git'), REPO.name);
  const git = gitDaemon;
  const gitExposed = await exposeToPods(git.port);
  exposed.push(gitExposed);
  github = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  const githubExposed = await exposeToPods(Number(new URL(github.url).port));
  exposed.push(githubExposed);
  github.addRepo({ ...REPO, defaultBranch: 'trunk', cloneUrl: git.url(new URL(gitExposed.url).host) });
  github.addCollaborator(REPO, 'sandbox-user', 'admin');
  issue = github.addIssue(REPO, {
    title: 'Add a friendly greeting',
    body: 'greet() should also say how nice it is to see you.',
    author: 'sandbox-user',
  });

  await writeFile(join(dir, 'kubeconfig'), kc.exportConfig());
  const stub = "['k3sc-stub-agent', '{prompt}']";
  const text = [
    'repos: [sandbox/hello-k3sc]',
    'allowed_authors: [sandbox-user, k3sc-bot]',
    `data_dir: ${join(dir, 'data')}`,
    `github: {api_url: '${github.url}'}`,
    'runtime:',
    '  kind: kubernetes',
    '  kubernetes:',
    `    kubeconfig: ${join(dir, 'kubeconfig')}`,
    `    namespace: ${ns.name}`,
    `    image: ${agentImage}`,
    '    image_pull_policy: Never',
    `agents: {claude: {command: ${stub}}, codex: {command: ${stub}}}`,
  ].join('\n');
  const parsed = parseConfigText(text, { GITHUB_TOKEN: TOKEN }, join(dir, 'k3sc.yaml'), {
    homeDir: dir,
  }) as ReturnType<typeof parseConfigText> & { errors?: unknown[] };
  expect(parsed.errors ?? []).toEqual([]);
  const ref = { repo: REPO, number: issue };
  const live = new Set<string>();
  let human = false;
  const onEvent = (e: EngineEvent): void => {
    lines.push(JSON.stringify(e));
    if (!('ref' in e) || e.ref.number !== ref.number) return;
    if (e.type === 'transition') {
      transitions.push(`${e.from} → ${e.to}`);
      if (e.to === 'needs-human') human = true;
    }
    if (e.type === 'attempt-started') live.add(e.attempt);
    if (e.type === 'attempt-finished') live.delete(e.attempt);
    if (human && live.size === 0) finished?.();
  };
  built = await buildFarm({
    config: parsed.config,
    logger: silentLogger,
    serving: true,
    events: [{ emit: onEvent }],
    agentGithubApiUrl: githubExposed.url,
  });
  github.onChange((c) => {
    if (c.event === 'issues' || c.event === 'pull_request') built.engine.trigger(REPO);
  });
  loop = runWhileLeader(built.leader!, abort.signal, (s) => built.engine.run(s), silentLogger);
  github.applyLabelAs(REPO, issue, 'ready', 'sandbox-user');
});

afterAll(async () => {
  abort.abort();
  await loop?.catch(() => undefined);
  await built?.close({ runs: 'keep' });
  for (const e of exposed) await e.close();
  gitDaemon?.stop();
  await github?.close();
  await ns?.drop();
  await core.deletePersistentVolume({ name: `${ns?.name}-workspaces` }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('the sandbox flow on the Kubernetes runtime, on a real node', () => {
  it('runs the sample issue ready → owner → needs-review → (review) → needs-human in Jobs', async () => {
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`flow stuck: ${transitions.join(', ')}\n${lines.join('\n')}`)),
        170_000,
      );
    });
    await Promise.race([done, stuck]).finally(() => clearTimeout(timer));
    expect(github.getIssue(REPO, issue)?.labels).toEqual(['needs-human']);
    const reviewer = transitions[2]?.split(' → ')[1] ?? '';
    expect(reviewer).not.toBe('claude-a');
    expect(transitions).toEqual([
      'ready → claude-a',
      'claude-a → needs-review',
      `needs-review → ${reviewer}`,
      `${reviewer} → needs-human`,
    ]);
  }, 180_000);

  it('keeps one AgentJob record per attempt in the custom resources, and made one Job per attempt', async () => {
    const names = [`sandbox-hello-k3sc-${issue}-1`, `sandbox-hello-k3sc-${issue}-2`];
    const records = (await custom.listNamespacedCustomObject({
      group: 'k3sc.dev',
      version: 'v1',
      namespace: ns.name,
      plural: 'agentjobs',
    })) as {
      items: { metadata: { name: string }; spec: { kind: string; phase: string; prNumber?: number } }[];
    };
    const byName = new Map(records.items.map((r) => [r.metadata.name, r.spec]));
    expect([...byName.keys()].sort()).toEqual(names);
    expect(byName.get(names[0]!)).toMatchObject({
      kind: 'implement',
      phase: 'succeeded',
      prNumber: expect.any(Number),
    });
    expect(byName.get(names[1]!)).toMatchObject({ kind: 'review', phase: 'succeeded' });
    const jobs = await batch.listNamespacedJob({ namespace: ns.name, labelSelector: AGENT_SELECTOR });
    expect(jobs.items.map((j) => j.metadata?.annotations?.[ANNOTATION.attempt]).sort()).toEqual(names);
    for (const j of jobs.items) expect(succeeded(j), j.metadata?.name).toBe(true);
    // each Job ran exactly one pod
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: AGENT_SELECTOR });
    expect(pods.items.map((p) => p.metadata?.annotations?.[ANNOTATION.attempt]).sort()).toEqual(names);
    // the stub's branch really reached the git remote through the pod network
    const { stdout } = await run('git', ['ls-remote', join(dir, 'git', `${REPO.name}.git`)]);
    expect(stdout).toMatch(new RegExp(`refs/heads/issue-${issue}$`, 'm'));
  });

  it('reads the attempt logs through the API server, ending in the runner’s [result] line', async () => {
    const implement = await built.farm.api.logs(
      `${REPO.owner}/${REPO.name}#${issue}`,
      { attempt: `sandbox-hello-k3sc-${issue}-1` },
      { signal: AbortSignal.timeout(30_000) },
    );
    expect(implement.log).toMatch(/^\[result\] /m);
    const review = await built.deps.runtime.readLog(`sandbox-hello-k3sc-${issue}-2`);
    expect(review).toMatch(/^\[result\] /m);
  });

  it('ships k3sc-build-lock in the agent image, on the shared cache volume', async () => {
    const { agentImage } = inject('e2e');
    const r = await runJob(
      kc,
      ns.name,
      plainJob('build-lock', {
        name: 'c',
        image: agentImage,
        command: [
          'sh',
          '-c',
          'k3sc-build-lock --lock /tmp/cache/build.lock -- sh -c "echo locked-build; exit 3"; echo "exit=$?"',
        ],
      }),
    );
    expect(r.log).toContain('locked-build');
    expect(r.log).toContain('exit=3');
    expect(succeeded(r.job)).toBe(true);
  });
});
