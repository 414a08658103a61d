import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/index.js';
import { isK3scError } from '../../../core/errors.js';
import { callOptions } from '../kube-client.js';
import { testKubeConfig } from '../__tests__/test-kube.js';
import { uniqueName } from '../../../testing/kube/kube-test-env.js';
import { deploy, RESTARTED_AT, renderOverlay } from './deploy.js';
import { rotateSecrets } from './rotate-secrets.js';
import { planSecrets } from './secret-sources.js';

/**
 * `k3sc deploy` / `rotate-secrets` against the real API server: a fresh namespace made by the
 * deploy itself (the Namespace object of the manifests, renamed), deleted afterwards.
 */
const admin = testKubeConfig();
const namespace = uniqueName('k3sc-deploy');
afterAll(async () => {
  await admin
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

const CONFIG = 'repos: [acme/widgets]\nallowed_authors: [alice]\nfamilies: [claude, codex]\n';
const PLANTED = {
  GITHUB_TOKEN: 'ghp_plantedDeployToken000000000000000000',
  K3SC_WEBHOOK_SECRET: 'planted-deploy-webhook',
  CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-planted-deploy-oauth',
  OPENAI_API_KEY: 'sk-planted-deploy-openai',
};
const planFor = (env: Record<string, string>) =>
  planSecrets({
    config: parseConfigText(CONFIG, env, '/etc/k3sc.yaml', { homeDir: '/home/me' }).config,
    env,
    homeDir: '/home/me',
    readFile: () => undefined,
  });

const noPlantedValue = (report: unknown): void => {
  const text = JSON.stringify(report);
  for (const v of Object.values(PLANTED)) expect(text).not.toContain(v);
  expect(text).not.toContain('rotated-');
};

const secretData = async (name: string): Promise<Record<string, string>> => {
  const s = await admin.makeApiClient(CoreV1Api).readNamespacedSecret({ name, namespace });
  return Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
};

const crdVersions = async (): Promise<Record<string, string>> => {
  const list = await admin.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
  return Object.fromEntries(
    list.items.map((c) => [c.metadata?.name ?? '', c.metadata?.resourceVersion ?? '']),
  );
};

describe('k3sc deploy (server-side apply of the shipped manifests)', () => {
  it('a dry run reports what it would create and changes nothing', async () => {
    const r = await deploy(admin, planFor(PLANTED), { overlay: 'kata', namespace, dryRun: true });
    expect(r.reachable).toBe(true);
    expect(r.objects.find((s) => s.kind === 'Namespace')).toMatchObject({
      name: namespace,
      result: 'created',
    });
    expect(r.objects.find((s) => s.kind === 'Deployment')?.result).toBe('created');
    expect(r.secrets.map((s) => [s.name, s.result])).toContainEqual(['k3sc', 'created']);
    noPlantedValue(r);
    const ns = await admin
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: namespace })
      .catch(() => undefined);
    expect(ns).toBeUndefined();
  });

  let firstCrds: Record<string, string> = {};
  it('creates every object (CRDs Established, Roles, Deployment) and the Secrets with the right keys', async () => {
    const steps: string[] = [];
    const r = await deploy(admin, planFor(PLANTED), {
      overlay: 'k3s',
      namespace,
      dryRun: false,
      onStep: (s) => steps.push(`${s.kind}/${s.name}`),
    });
    firstCrds = await crdVersions();
    const rendered = await renderOverlay('k3s', namespace);
    expect(r.objects.map((s) => `${s.kind}/${s.name}`).sort()).toEqual(
      rendered.map((o) => `${o.kind}/${o.metadata?.name}`).sort(),
    );
    expect(steps.length).toBe(rendered.length);
    expect(r.objects.filter((s) => s.namespace === namespace).every((s) => s.result === 'created')).toBe(
      true,
    );
    const apiext = admin.makeApiClient(ApiextensionsV1Api);
    for (const crd of rendered.filter((o) => o.kind === 'CustomResourceDefinition')) {
      const got = await apiext.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
      expect(got.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    }
    const agentconfigs = await apiext.readCustomResourceDefinition({ name: 'agentconfigs.k3sc.dev' });
    // client-node's typed model names it x_kubernetes_…: it reached the server through the serializer.
    expect(JSON.stringify(agentconfigs.spec.versions)).toContain(
      '"x_kubernetes_preserve_unknown_fields":true',
    );
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    expect((await rbac.readNamespacedRole({ name: 'k3sc', namespace })).rules?.length).toBeGreaterThan(3);
    const binding = await rbac.readNamespacedRoleBinding({ name: 'k3sc', namespace });
    expect(binding.subjects?.[0]).toMatchObject({ kind: 'ServiceAccount', name: 'k3sc', namespace });
    const d = await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'k3sc', namespace });
    expect(d.spec?.template.spec?.serviceAccountName).toBe('k3sc');
    const pvc = await admin
      .makeApiClient(CoreV1Api)
      .readNamespacedPersistentVolumeClaim({ name: 'k3sc-workspaces', namespace });
    expect(pvc.spec?.storageClassName).toBe('local-path');
    expect(Object.keys(await secretData('k3sc')).sort()).toEqual(['GITHUB_TOKEN', 'K3SC_WEBHOOK_SECRET']);
    expect(await secretData('k3sc-agent-claude')).toEqual({
      GITHUB_TOKEN: PLANTED.GITHUB_TOKEN,
      CLAUDE_CODE_OAUTH_TOKEN: PLANTED.CLAUDE_CODE_OAUTH_TOKEN,
    });
    expect(Object.keys(await secretData('k3sc-agent-codex')).sort()).toEqual([
      'GITHUB_TOKEN',
      'OPENAI_API_KEY',
    ]);
    expect(r.restart).toBeUndefined();
    expect(r.warnings.join('\n')).toMatch(/no ConfigMap .*k3sc-config: the k3sc pod cannot start/);
    noPlantedValue(r);
  });

  it('a second deploy reports every object and Secret unchanged', async () => {
    const crdsNow = await crdVersions();
    const r = await deploy(admin, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: false });
    for (const s of r.objects) {
      // Another test file may rewrite the shared CRDs in between; then this run may reconfigure them.
      const touched = s.kind === 'CustomResourceDefinition' && crdsNow[s.name] !== firstCrds[s.name];
      if (!touched) expect(s.result, `${s.kind} ${s.name}`).toBe('unchanged');
    }
    expect(r.secrets.every((s) => s.result === 'unchanged')).toBe(true);
    expect(r.restart).toBeUndefined();
    const dry = await deploy(admin, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: true });
    expect(dry.objects.filter((s) => s.namespace === namespace).every((s) => s.result === 'unchanged')).toBe(
      true,
    );
  });
});

describe('k3sc rotate-secrets', () => {
  it('a dry run reports the changed key and writes nothing', async () => {
    const env = { ...PLANTED, CLAUDE_CODE_OAUTH_TOKEN: 'rotated-oauth-dry' };
    const r = await rotateSecrets(admin, planFor(env), { namespace, family: 'claude', dryRun: true });
    expect(r.secrets[0]?.keys.find((k) => k.key === 'CLAUDE_CODE_OAUTH_TOKEN')?.change).toBe('changed');
    expect((await secretData('k3sc-agent-claude'))['CLAUDE_CODE_OAUTH_TOKEN']).toBe(
      PLANTED.CLAUDE_CODE_OAUTH_TOKEN,
    );
    noPlantedValue(r);
  });

  it('--family changes exactly the changed keys of that family, and restarts nothing', async () => {
    const env = { ...PLANTED, CLAUDE_CODE_OAUTH_TOKEN: 'rotated-oauth-1' };
    const r = await rotateSecrets(admin, planFor(env), { namespace, family: 'claude', dryRun: false });
    expect(r.secrets.map((s) => s.name)).toEqual(['k3sc-agent-claude']);
    expect(r.secrets[0]?.keys.map((k) => [k.key, k.change])).toEqual([
      ['CLAUDE_CODE_OAUTH_TOKEN', 'changed'],
      ['GITHUB_TOKEN', 'unchanged'],
    ]);
    expect(await secretData('k3sc-agent-claude')).toEqual({
      GITHUB_TOKEN: PLANTED.GITHUB_TOKEN,
      CLAUDE_CODE_OAUTH_TOKEN: 'rotated-oauth-1',
    });
    expect(r.restart).toBeUndefined();
    noPlantedValue(r);
  });

  it("restarts the k3sc Deployment when k3sc's own Secret changed", async () => {
    const env = {
      ...PLANTED,
      CLAUDE_CODE_OAUTH_TOKEN: 'rotated-oauth-1',
      K3SC_WEBHOOK_SECRET: 'rotated-webhook',
    };
    const now = new Date('2026-12-02T02:00:00.000Z');
    const r = await rotateSecrets(admin, planFor(env), { namespace, dryRun: false, now: () => now });
    const changed = r.secrets.flatMap((s) =>
      s.keys.filter((k) => k.change !== 'unchanged').map((k) => `${s.name}:${k.key}`),
    );
    expect(changed).toEqual(['k3sc:K3SC_WEBHOOK_SECRET']);
    expect(r.restart).toMatchObject({ restarted: true });
    const d = await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'k3sc', namespace });
    expect(d.spec?.template.metadata?.annotations?.[RESTARTED_AT]).toBe(now.toISOString());
    // The next deploy does not undo the restart annotation (another field manager owns it).
    const again = await deploy(admin, planFor(env), { overlay: 'k3s', namespace, dryRun: false });
    expect(again.objects.find((s) => s.kind === 'Deployment')?.result).toBe('unchanged');
  });

  it('says which verb and resource were forbidden, and when the API cannot be reached', async () => {
    const token = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: 'k3sc-agent',
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const cluster = admin.getCurrentCluster()!;
    const as = (server: string, tok: string): KubeConfig => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ ...cluster, name: 'c', server }],
        users: [{ name: 'u', token: tok }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      return kc;
    };
    const err = await rotateSecrets(as(cluster.server, token.status?.token ?? ''), planFor(PLANTED), {
      namespace,
      dryRun: false,
    }).catch((e: unknown) => e);
    expect(isK3scError(err, 'forbidden')).toBe(true);
    expect((err as Error).message).toMatch(/get Secret .*cannot get resource "secrets"/);
    const down = as('https://127.0.0.1:1', 'x');
    await expect(
      deploy(down, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: false }),
    ).rejects.toThrow(/cannot reach the Kubernetes API|did not answer/);
    const offline = await deploy(down, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: true });
    expect(offline.reachable).toBe(false);
    expect(offline.objects.every((s) => s.result === 'unchecked')).toBe(true);
  });

  it('--server-config stores the in-cluster config as ConfigMap k3sc-config', async () => {
    const serverConfig = 'data_dir: /var/lib/k3sc\nhttp: {host: 0.0.0.0}\n';
    const r = await deploy(admin, planFor(PLANTED), {
      overlay: 'k3s',
      namespace,
      dryRun: false,
      serverConfig,
    });
    expect(r.objects.find((s) => s.kind === 'ConfigMap')).toMatchObject({
      name: 'k3sc-config',
      result: 'created',
    });
    expect(r.warnings.join('\n')).not.toContain('ConfigMap');
    const cm = await admin
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'k3sc-config', namespace });
    expect(cm.data?.['k3sc.yaml']).toBe(serverConfig);
  });

  it('takes back fields kubectl changed, and names any other manager that owns one', async () => {
    const apps = admin.makeApiClient(AppsV1Api);
    const scale = (replicas: number, fieldManager: string) =>
      apps.patchNamespacedDeployment(
        { name: 'k3sc', namespace, body: { spec: { replicas } }, fieldManager },
        callOptions({ patch: 'merge' }),
      );
    await scale(3, 'kubectl-edit');
    const r = await deploy(admin, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: false });
    expect(r.objects.find((s) => s.kind === 'Deployment')).toMatchObject({
      result: 'configured',
      note: 'took over fields from kubectl-edit',
    });
    expect((await apps.readNamespacedDeployment({ name: 'k3sc', namespace })).spec?.replicas).toBe(1);
    await scale(2, 'helm');
    const err = await deploy(admin, planFor(PLANTED), { overlay: 'k3s', namespace, dryRun: false }).catch(
      (e: unknown) => e,
    );
    expect(isK3scError(err, 'conflict')).toBe(true);
    expect((err as Error).message).toMatch(/apply Deployment .*\/k3sc: fields are owned by helm/);
  });
});
