import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderKustomization, shippedManifestsDir } from './kustomize-render.js';

/** `kubectl kustomize` (kubectl is on this machine; users' machines need not have it). */
const kubectl = (dir: string): unknown[] =>
  parseAllDocuments(
    execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ).map((d) => d.toJS() as unknown);

const manifests = shippedManifestsDir();
let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'k3sc-kustomize-'));
  await cp(manifests, join(tmp, 'manifests'), { recursive: true });
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('renderKustomization', () => {
  it.each(['base', 'overlays/k3s', 'overlays/kata'])(
    'renders %s exactly as kubectl kustomize does (same objects, same order)',
    async (dir) => {
      const ours = await renderKustomization(join(manifests, dir));
      expect(ours.length).toBeGreaterThan(10);
      expect(ours).toEqual(kubectl(join(manifests, dir)));
    },
  );

  it.each(['overlays/k3s', 'overlays/kata'])(
    'moves %s to another namespace as a kustomization with namespace: on top does, RoleBinding subjects included',
    async (dir) => {
      const wrap = join(tmp, `wrap-${dir.replace('/', '-')}`);
      await cp(join(tmp, 'manifests'), join(wrap, 'manifests'), { recursive: true });
      await writeFile(
        join(wrap, 'kustomization.yaml'),
        `namespace: farm-two\nresources:\n  - manifests/${dir}\n`,
      );
      const ours = await renderKustomization(join(manifests, dir), { namespace: 'farm-two' });
      const theirs = kubectl(wrap) as typeof ours;
      // kustomize leaves a subject naming our own ServiceAccount in the old namespace; we move it.
      const theirBinding = theirs.find((o) => o.kind === 'RoleBinding') as {
        subjects: { namespace: string }[];
      };
      expect(theirBinding.subjects[0]?.namespace).toBe('claude-agents');
      theirBinding.subjects[0]!.namespace = 'farm-two';
      expect(ours).toEqual(theirs);
      const binding = ours.find((o) => o.kind === 'RoleBinding') as { subjects: { namespace: string }[] };
      expect(binding.subjects[0]?.namespace).toBe('farm-two');
      expect(ours.find((o) => o.kind === 'Namespace')?.metadata?.name).toBe('farm-two');
    },
  );

  it('applies JSON patches, images and includeTemplates labels the way kubectl does', async () => {
    const dir = join(tmp, 'features');
    await cp(join(tmp, 'manifests'), join(dir, 'manifests'), { recursive: true });
    await writeFile(join(dir, 'p.yaml'), '- op: replace\n  path: /spec/replicas\n  value: 2\n');
    await writeFile(
      join(dir, 'kustomization.yaml'),
      [
        'resources: [manifests/overlays/k3s]',
        'labels:',
        '  - pairs: {tier: farm}',
        '    includeTemplates: true',
        'images:',
        '  - {name: k3sc, newName: registry.local/k3sc, newTag: "1.2"}',
        'patches:',
        '  - target: {kind: Deployment, name: k3s.*}',
        '    path: p.yaml',
        '  - target: {group: rbac.authorization.k8s.io, kind: Role}',
        '    patch: |-',
        '      - op: add',
        '        path: /rules/-',
        '        value: {apiGroups: [""], resources: [configmaps], verbs: [get]}',
        '      - op: remove',
        '        path: /rules/0',
        '',
      ].join('\n'),
    );
    const ours = await renderKustomization(dir);
    expect(ours).toEqual(kubectl(dir));
    const d = ours.find((o) => o.kind === 'Deployment') as {
      spec: { replicas: number; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.metadata.labels['tier']).toBe('farm');
  });

  it('refuses a kustomize feature it does not implement, by name', async () => {
    const dir = join(tmp, 'unsupported');
    await cp(join(tmp, 'manifests', 'base'), dir, { recursive: true });
    await writeFile(join(dir, 'kustomization.yaml'), 'resources: [namespace.yaml]\nnamePrefix: x-\n');
    await expect(renderKustomization(dir)).rejects.toThrow(/unsupported kustomize field\(s\) namePrefix/);
  });
});
