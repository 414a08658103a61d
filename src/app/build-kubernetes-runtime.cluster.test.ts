import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../adapters/config/index.js';
import { sampleRun, sampleSpecBuilder } from '../adapters/kubernetes/__tests__/samples.js';
import { testKubeConfig, testNamespace, waitFor } from '../adapters/kubernetes/__tests__/test-kube.js';
import { LABEL } from '../adapters/kubernetes/labels.js';
import { silentLogger } from '../core/ports/logger.js';
import { buildRuntime } from './build-runtime.js';

const kc = testKubeConfig();
let ns: Awaited<ReturnType<typeof testNamespace>>;
let dir: string;
beforeAll(async () => {
  ns = await testNamespace(kc, 'wiring');
  dir = await mkdtemp(join(tmpdir(), 'k3sc-wiring-'));
  await writeFile(join(dir, 'kubeconfig'), kc.exportConfig());
});
afterAll(async () => {
  await ns.drop();
  await rm(dir, { recursive: true, force: true });
});

const configText = (): string =>
  [
    'repos: [acme/widgets]',
    'runtime:',
    '  kind: kubernetes',
    '  kubernetes:',
    `    kubeconfig: ${join(dir, 'kubeconfig')}`,
    `    namespace: ${ns.name}`,
    '    image: registry.local/k3sc-agent:1',
    '    image_pull_policy: Never',
    '    runtime_class: kata',
    '    job_ttl: 2h',
    'agents: {codex: {image: registry.local/codex-agent:2}}',
  ].join('\n');

const build = (serving: boolean) => {
  const { config, errors } = parseConfigText(configText(), { GITHUB_TOKEN: 'x' }, '/etc/k3sc.yaml', {
    homeDir: '/home/me',
  }) as ReturnType<typeof parseConfigText> & { errors?: unknown[] };
  expect(errors ?? []).toEqual([]);
  return buildRuntime({
    config,
    dataDir: dir,
    logger: silentLogger,
    runnerCommand: ['unused'],
    buildSpec: sampleSpecBuilder,
    env: {},
    onExit: () => undefined,
    serving,
  });
};

describe('runtime.kind kubernetes, wired from the config', () => {
  it('creates Jobs shaped by runtime.kubernetes in its namespace; a one-shot CLI has no leader gate', async () => {
    const built = build(false);
    expect(built.leader).toBeUndefined();
    await built.runtime.start(sampleRun({ family: 'codex' }));
    const job = await kc
      .makeApiClient(BatchV1Api)
      .readNamespacedJob({ name: 'acme-widgets-12-1', namespace: ns.name });
    const pod = job.spec!.template.spec!;
    expect(pod.containers[0]!.image).toBe('registry.local/codex-agent:2');
    expect(pod.containers[0]!.imagePullPolicy).toBe('Never');
    expect(pod.runtimeClassName).toBe('kata');
    expect(job.spec!.ttlSecondsAfterFinished).toBe(7200);
    expect(job.metadata!.labels![LABEL.family]).toBe('codex');
    expect(await built.runtime.preview?.(sampleRun())).toContain('image: registry.local/k3sc-agent:1');
    await built.close({ runs: 'keep' });
  });

  it('a serving replica campaigns: its gate leads on a free Lease', async () => {
    const built = build(true);
    const gate = built.leader!;
    const ctl = new AbortController();
    const campaign = gate.run(ctl.signal);
    await waitFor('leading', () => Promise.resolve(gate.isLeader()));
    ctl.abort();
    await campaign;
    expect(gate.isLeader()).toBe(false);
    await built.close({ runs: 'stop' });
  });
});
