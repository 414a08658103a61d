import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dumpYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildCrd, RESOURCE_KINDS } from './crd-definitions.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../manifests/base/crds');
const update = process.env.K3SC_UPDATE_CRDS === '1';

describe('manifests/base/crds', () => {
  it.each(RESOURCE_KINDS.map((r) => [r.plural, r] as const))(
    '%s.yaml is what the code generates',
    async (plural, r) => {
      const path = join(dir, `${plural}.yaml`);
      const want = `# Generated from src/adapters/kubernetes/crds (K3SC_UPDATE_CRDS=1 npx vitest run ${'src/adapters/kubernetes/crds'}); do not edit.\n${dumpYaml(buildCrd(r))}`;
      if (update) {
        await mkdir(dir, { recursive: true });
        await writeFile(path, want);
      }
      expect(await readFile(path, 'utf8')).toBe(want);
    },
  );
});
