import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  loadAllYaml,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStateStoreContract } from '../../store/state-store.contract.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
  kubeConfigFor,
  repoRoot,
} from '../../../testing/kube/kube-test-env.js';
import { buildManifests, inNamespace } from '../../../testing/kube/manifests.js';
import { CRD_GROUP, CRD_VERSION, RESOURCE_KINDS } from '../crds/crd-definitions.js';
import { KubeStateStore } from './kube-state-store.js';

/**
 * The manifests: every object of the base and both overlays is accepted by the API server
 * (server-side dry run), and the StateStore contract passes AS the k3sc service account with
 * the Role from manifests/, while verbs the Role does not grant are really forbidden.
 */
const admin = adminConfig();
const objects = KubernetesObjectApi.makeApiClient(admin);
let namespace = '';
let k3scToken = '';
let agentToken = '';

const dryRunApply = (o: KubernetesObject): Promise<KubernetesObject> =>
  objects.patch(o, undefined, 'All', 'k3sc', true, PatchStrategy.ServerSideApply);

const tokenFor = async (sa: string): Promise<string> => {
  const r = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: sa,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  return r.status?.token ?? '';
};

beforeAll(async () => {
  await installCrds(admin);
  namespace = await createNamespace(admin, 'k3sc-rbac');
  const base = inNamespace(buildManifests('base'), namespace);
  for (const o of base.filter((x) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(x.kind ?? '')))
    await objects.patch(o, undefined, undefined, 'k3sc', true, PatchStrategy.ServerSideApply);
  k3scToken = await tokenFor('k3sc');
  agentToken = await tokenFor('k3sc-agent');
  await admin.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'k3sc' }, stringData: { GITHUB_TOKEN: 'test-value' } },
  });
});
afterAll(async () => {
  await deleteNamespace(admin, namespace);
});

describe('manifests', () => {
  it.each(['base', 'overlays/k3s', 'overlays/kata'])(
    'every object of %s passes a server-side dry run',
    async (dir) => {
      const built = buildManifests(dir);
      const kinds = built.map((o) => o.kind);
      expect(kinds).toEqual(
        expect.arrayContaining(['Namespace', 'CustomResourceDefinition', 'Role', 'RoleBinding']),
      );
      if (dir === 'overlays/kata') expect(kinds).toContain('RuntimeClass');
      for (const o of inNamespace(built, namespace)) {
        const answer = await dryRunApply(o);
        expect(answer.metadata?.name, `${o.kind} ${o.metadata?.name}`).toBe(o.metadata?.name);
      }
    },
  );

  it('the secret example has every key and no value, and is accepted too', async () => {
    const text = await readFile(join(repoRoot, 'manifests/examples/k3sc-secrets.example.yaml'), 'utf8');
    const secrets = loadAllYaml(text) as (KubernetesObject & { stringData?: Record<string, string> })[];
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const s of secrets) {
      expect(Object.values(s.stringData ?? {}).every((v) => v === '')).toBe(true);
      await dryRunApply(inNamespace([s], namespace)[0]!);
    }
  });

  it('the agent service account has no token mounted and no role', () => {
    const sa = buildManifests('base').find(
      (o) => o.kind === 'ServiceAccount' && o.metadata?.name === 'k3sc-agent',
    );
    expect(sa).toMatchObject({ automountServiceAccountToken: false });
    const bound = buildManifests('base')
      .filter((o) => o.kind === 'RoleBinding')
      .flatMap((o) => (o as { subjects?: { name: string }[] }).subjects ?? []);
    expect(bound.map((s) => s.name)).toEqual(['k3sc']);
  });
});

describe('the k3sc Role', () => {
  it('forbids what it does not grant: namespaces, other secrets, other namespaces, escalation', async () => {
    const k3sc = kubeConfigFor(k3scToken);
    const core = k3sc.makeApiClient(CoreV1Api);
    expect((await core.readNamespacedSecret({ name: 'k3sc', namespace })).data?.GITHUB_TOKEN).toBeDefined();
    await expect(core.deleteNamespace({ name: namespace })).rejects.toMatchObject({ code: 403 });
    await expect(core.listNamespacedSecret({ namespace })).rejects.toMatchObject({ code: 403 });
    await expect(core.readNamespacedSecret({ name: 'other', namespace })).rejects.toMatchObject({
      code: 403,
    });
    await expect(core.listNamespacedSecret({ namespace: 'kube-system' })).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      k3sc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
        group: CRD_GROUP,
        version: CRD_VERSION,
        namespace: 'default',
        plural: 'agentjobs',
      }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      k3sc.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: 'escalate' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'k3sc', namespace }],
        },
      }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('gives the agent service account nothing', async () => {
    const store = new KubeStateStore({ kubeConfig: kubeConfigFor(agentToken), namespace });
    await expect(store.listAttempts()).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describeStateStoreContract('KubeStateStore as the k3sc service account', async () => {
  const custom = admin.makeApiClient(CustomObjectsApi);
  for (const r of RESOURCE_KINDS)
    await custom.deleteCollectionNamespacedCustomObject({
      group: CRD_GROUP,
      version: CRD_VERSION,
      namespace,
      plural: r.plural,
    });
  const store = new KubeStateStore({ kubeConfig: kubeConfigFor(k3scToken), namespace });
  return { store, dispose: () => store.close() };
});
