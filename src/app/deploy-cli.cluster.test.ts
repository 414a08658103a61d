import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKubeConfig } from '../adapters/kubernetes/__tests__/test-kube.js';
import { uniqueName } from '../testing/kube/kube-test-env.js';
import { runCli } from './__tests__/run-cli.js';
import { cleanEnv, tempHome, type TempHome } from './__tests__/temp-home.js';

/** `k3sc deploy` / `rotate-secrets` through the built CLI (bin/k3sc.js) against the test cluster. */
const admin = testKubeConfig();
const namespace = uniqueName('k3sc-cli-deploy');
const PLANTED = {
  GITHUB_TOKEN: 'ghp_plantedCliDeployToken0000000000000000',
  CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-planted-cli-oauth',
  OPENAI_API_KEY: 'sk-planted-cli-openai',
};
let home: TempHome;

beforeAll(async () => {
  home = await tempHome();
  const kubeconfig = join(home.dir, 'kubeconfig');
  await writeFile(kubeconfig, admin.exportConfig());
  await writeFile(
    home.configPath,
    [
      'repos: [acme/widgets]',
      'allowed_authors: [alice]',
      'families: [claude, codex]',
      'runtime:',
      '  kind: kubernetes',
      `  kubernetes: {kubeconfig: ${kubeconfig}, namespace: ${namespace}}`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await admin
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
  await home.cleanup();
});

const cli = (args: string[], env: Record<string, string> = PLANTED) =>
  runCli(['--config', home.configPath, ...args], cleanEnv({ HOME: home.dir, ...env }));

const noValue = (text: string): void => {
  for (const v of [...Object.values(PLANTED), 'rotated-cli-oauth']) expect(text).not.toContain(v);
};

describe('k3sc deploy / rotate-secrets from the CLI', () => {
  it('--dry-run -o yaml prints the objects, Secrets with key names and sources only', async () => {
    const r = await cli(['deploy', '--dry-run', '-o', 'yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: CustomResourceDefinition');
    expect(r.stdout).toContain(`name: ${namespace}`);
    expect(r.stdout).toContain('GITHUB_TOKEN: <from env:GITHUB_TOKEN>');
    noValue(r.stdout + r.stderr);
  });

  it('deploys, then reports unchanged; --json has every step and no value', async () => {
    const first = await cli(['deploy']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created\s+Deployment k3sc/);
    expect(first.stdout).toMatch(
      /created\s+Secret k3sc-agent-claude\s+CLAUDE_CODE_OAUTH_TOKEN added \(env:CLAUDE_CODE_OAUTH_TOKEN\)/,
    );
    const second = await cli(['deploy', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const data = JSON.parse(second.stdout) as { objects: { result: string; namespace?: string }[] };
    expect(data.objects.filter((o) => o.namespace === namespace).map((o) => o.result)).not.toContain(
      'created',
    );
    expect(data.objects.filter((o) => o.namespace === namespace).every((o) => o.result === 'unchanged')).toBe(
      true,
    );
    noValue(first.stdout + first.stderr + second.stdout + second.stderr);
  });

  it('rotate-secrets --family reports the changed key; bad flags and chat use are refused', async () => {
    const r = await cli(['rotate-secrets', '--family', 'claude'], {
      ...PLANTED,
      CLAUDE_CODE_OAUTH_TOKEN: 'rotated-cli-oauth',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/configured\s+Secret k3sc-agent-claude\s+CLAUDE_CODE_OAUTH_TOKEN changed/);
    expect(r.stdout).toContain('next attempt uses changed keys');
    noValue(r.stdout + r.stderr);
    const bad = await cli(['deploy', '--overlay', 'gke']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--overlay must be k3s or kata');
    const family = await cli(['rotate-secrets', '--family', 'gemini']);
    expect(family.code).toBe(2);
    expect(family.stderr).toMatch(/not a configured family \(families: claude, codex\)/);
  });
});
