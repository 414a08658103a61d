import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYaml, type V1CustomResourceDefinition, type V1JSONSchemaProps } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { RESOURCE_KINDS } from './crd-definitions.js';

/**
 * Independent of the generator: walks every field of each zod schema and checks the CRD YAML
 * in manifests/ has it, with the same type and required-ness, so no field the code writes can
 * be pruned by the API server.
 */
const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../manifests/base/crds');

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const unwrap = (s: z.ZodType): { schema: z.ZodType; optional: boolean } => {
  let optional = false;
  let cur = s;
  for (;;) {
    const d = def(cur);
    if (d.type === 'optional') optional = true;
    if ((d.type === 'optional' || d.type === 'readonly' || d.type === 'nullable') && d.innerType)
      cur = d.innerType;
    else return { schema: cur, optional };
  }
};

const check = (path: string, zs: z.ZodType, crd: V1JSONSchemaProps | undefined, seen: string[]): void => {
  expect(crd, `${path} missing from the CRD`).toBeDefined();
  if (crd === undefined) return;
  const d = def(zs);
  seen.push(path);
  switch (d.type) {
    case 'object': {
      expect(crd.type, path).toBe('object');
      const shape = d.shape ?? {};
      const required = new Set(crd.required ?? []);
      for (const [key, field] of Object.entries(shape)) {
        const { schema, optional } = unwrap(field);
        expect(required.has(key), `${path}.${key} required-ness`).toBe(!optional);
        check(`${path}.${key}`, schema, crd.properties?.[key], seen);
      }
      expect(Object.keys(crd.properties ?? {}).sort(), `${path} has no extra fields`).toEqual(
        Object.keys(shape).sort(),
      );
      return;
    }
    case 'array':
      expect(crd.type, path).toBe('array');
      check(`${path}[]`, unwrap(d.element!).schema, crd.items as V1JSONSchemaProps, seen);
      return;
    case 'record':
      expect(crd.type, path).toBe('object');
      check(`${path}{}`, unwrap(d.valueType!).schema, crd.additionalProperties as V1JSONSchemaProps, seen);
      return;
    case 'string':
    case 'enum':
      expect(crd.type, path).toBe('string');
      return;
    case 'number':
      expect(['integer', 'number'], path).toContain(crd.type);
      return;
    case 'boolean':
      expect(crd.type, path).toBe('boolean');
      return;
    default:
      // free-form JSON (a record's data): kept whole, nulls included
      expect(crd.x_kubernetes_preserve_unknown_fields, `${path} (${d.type}) is free-form`).toBe(true);
      expect(crd.nullable, path).toBe(true);
  }
};

describe('CRD schemas cover every field of the record schemas', () => {
  it.each(RESOURCE_KINDS.map((r) => [r.kind, r] as const))('%s', async (_kind, r) => {
    const crd = loadYaml<V1CustomResourceDefinition>(await readFile(join(dir, `${r.plural}.yaml`), 'utf8'));
    const root = crd.spec.versions[0]?.schema?.openAPIV3Schema;
    expect(root?.required).toEqual(['spec']);
    const seen: string[] = [];
    check('spec', unwrap(r.spec).schema, root?.properties?.spec, seen);
    expect(seen.length).toBeGreaterThan(4);
    expect(crd.spec.versions[0]?.additionalPrinterColumns?.length).toBeGreaterThan(0);
  });
});
