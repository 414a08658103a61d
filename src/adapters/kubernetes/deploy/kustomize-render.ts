import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { applyJsonPatch, type PatchOp } from './json-patch.js';
import {
  addLabels,
  legacySort,
  setImages,
  setNamespace,
  type ImageRule,
  type Obj,
} from './kustomize-transforms.js';

/**
 * A renderer for the kustomize subset k3sc's own manifests use, so `k3sc deploy` needs no
 * kubectl: `resources` (files and folders), `namespace`, `labels` (pairs, includeTemplates),
 * `patches` (JSON 6902, inline or from a file, with a kind/name/namespace/group/version target)
 * and `images`. Anything else is refused by name rather than silently ignored. A test proves the
 * output equal to `kubectl kustomize` for the base and both overlays.
 */
const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'patches', 'images']);

interface Target {
  kind?: string;
  name?: string;
  namespace?: string;
  group?: string;
  version?: string;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  patches?: { target?: Target; patch?: string; path?: string }[];
  images?: ImageRule[];
}

export class KustomizeError extends Error {
  override readonly name = 'KustomizeError';
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const findKustomization = async (dir: string): Promise<string> => {
  for (const f of KUSTOMIZATION_FILES) {
    const file = join(dir, f);
    if (
      await stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return file;
  }
  throw new KustomizeError(`no kustomization.yaml in ${dir}`);
};

/** kustomize reads YAML the 1.1 way: `defaultMode: 0400` is octal (256). */
const YAML_OPTIONS = { version: '1.1' } as const;

const readDocs = async (file: string): Promise<Obj[]> =>
  parseAllDocuments(await readFile(file, 'utf8'), YAML_OPTIONS)
    .map((d) => {
      if (d.errors.length > 0) throw new KustomizeError(`${file}: ${d.errors[0]?.message ?? 'bad YAML'}`);
      return d.toJS() as unknown;
    })
    .filter((o): o is Obj => o !== null && typeof o === 'object');

const matches = (o: Obj, t: Target | undefined): boolean => {
  if (t === undefined) return true;
  const [group, version] = (o.apiVersion ?? '').includes('/')
    ? (o.apiVersion ?? '').split('/')
    : ['', o.apiVersion];
  const full = (pattern: string | undefined, value: string | undefined): boolean =>
    pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value ?? '');
  return (
    full(t.kind, o.kind) &&
    full(t.name, o.metadata?.name) &&
    full(t.namespace, o.metadata?.namespace) &&
    full(t.group, group) &&
    full(t.version, version)
  );
};

const applyPatches = async (
  dir: string,
  objects: Obj[],
  patches: Kustomization['patches'],
): Promise<void> => {
  for (const p of patches ?? []) {
    const text = p.patch ?? (p.path === undefined ? undefined : await readFile(join(dir, p.path), 'utf8'));
    if (text === undefined) throw new KustomizeError(`${dir}: a patch needs "patch" or "path"`);
    const ops: unknown = parse(text, YAML_OPTIONS);
    if (!Array.isArray(ops))
      throw new KustomizeError(`${dir}: only JSON 6902 patches (a list of operations) are supported`);
    for (const o of objects.filter((x) => matches(x, p.target))) {
      try {
        applyJsonPatch(o, ops as PatchOp[]);
      } catch (err) {
        throw new KustomizeError(`${dir}: patch on ${o.kind} ${o.metadata?.name}: ${(err as Error).message}`);
      }
    }
  }
};

const build = async (dir: string, seen: readonly string[]): Promise<Obj[]> => {
  if (seen.includes(dir)) throw new KustomizeError(`kustomization cycle through ${dir}`);
  const file = await findKustomization(dir);
  const k = (parse(await readFile(file, 'utf8')) ?? {}) as Kustomization & Record<string, unknown>;
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0)
    throw new KustomizeError(`${file}: unsupported kustomize field(s) ${unknown.join(', ')}`);
  const objects: Obj[] = [];
  for (const r of k.resources ?? []) {
    const path = resolve(dir, r);
    const isDir = await stat(path).then(
      (s) => s.isDirectory(),
      () => {
        throw new KustomizeError(`${file}: resource ${r} does not exist`);
      },
    );
    objects.push(...(isDir ? await build(path, [...seen, dir]) : await readDocs(path)));
  }
  await applyPatches(dir, objects, k.patches);
  if (k.namespace !== undefined) setNamespace(objects, k.namespace);
  for (const l of k.labels ?? []) {
    if (l.includeSelectors === true)
      throw new KustomizeError(`${file}: labels.includeSelectors is not supported`);
    addLabels(objects, l.pairs ?? {}, l.includeTemplates === true);
  }
  if (k.images !== undefined) setImages(objects, k.images);
  return objects;
};

export interface RenderOptions {
  /**
   * Moves everything to this namespace, as a kustomization with `namespace:` on top would, and
   * RoleBinding subjects naming these resources' ServiceAccounts along with them.
   */
  readonly namespace?: string;
}

/** The objects of the kustomization in `dir`, in kustomize's legacy order. */
export const renderKustomization = async (dir: string, opts: RenderOptions = {}): Promise<Obj[]> => {
  const objects = await build(resolve(dir), []);
  if (opts.namespace !== undefined) setNamespace(objects, opts.namespace, true);
  return legacySort(objects);
};

/** The folder `manifests/` shipped with k3sc (next to dist/ and src/ in the installed package). */
export const shippedManifestsDir = (): string =>
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../../manifests');
