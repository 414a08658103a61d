/** RFC 6902 JSON patch (add, replace, remove, test, copy, move) on plain data, as kustomize applies `patches`. */
export interface PatchOp {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

type Container = Record<string, unknown> | unknown[];

const tokens = (pointer: string): string[] => {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
};

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

/** The parent of the pointer's target and the last token. */
const parentOf = (doc: unknown, pointer: string): { parent: Container; key: string } => {
  const ts = tokens(pointer);
  const key = ts.pop();
  if (key === undefined) throw new Error('patching the whole document is not supported');
  let node: unknown = doc;
  for (const t of ts) {
    node = Array.isArray(node)
      ? node[Number(t)]
      : isContainer(node)
        ? (node as Record<string, unknown>)[t]
        : undefined;
    if (!isContainer(node)) throw new Error(`path ${pointer} does not exist`);
  }
  if (!isContainer(node)) throw new Error(`path ${pointer} does not exist`);
  return { parent: node, key };
};

const index = (arr: unknown[], key: string, forAdd: boolean, pointer: string): number => {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i === arr.length))
    throw new Error(`bad array index in ${pointer}`);
  return i;
};

const get = (doc: unknown, pointer: string): unknown => {
  const { parent, key } = parentOf(doc, pointer);
  const v = Array.isArray(parent) ? parent[index(parent, key, false, pointer)] : parent[key];
  if (v === undefined) throw new Error(`path ${pointer} does not exist`);
  return v;
};

const add = (doc: unknown, pointer: string, value: unknown): void => {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(index(parent, key, true, pointer), 0, structuredClone(value));
  else parent[key] = structuredClone(value);
};

const remove = (doc: unknown, pointer: string): void => {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(index(parent, key, false, pointer), 1);
  else {
    if (!(key in parent)) throw new Error(`path ${pointer} does not exist`);
    delete parent[key];
  }
};

/** Applies `ops` to `doc` in place; throws (naming the path) on the first failing operation. */
export const applyJsonPatch = (doc: unknown, ops: readonly PatchOp[]): void => {
  for (const o of ops) {
    switch (o.op) {
      case 'add':
        add(doc, o.path, o.value);
        break;
      case 'remove':
        remove(doc, o.path);
        break;
      case 'replace':
        get(doc, o.path);
        remove(doc, o.path);
        add(doc, o.path, o.value);
        break;
      case 'test':
        if (JSON.stringify(get(doc, o.path)) !== JSON.stringify(o.value))
          throw new Error(`test failed at ${o.path}`);
        break;
      case 'copy':
        add(doc, o.path, get(doc, o.from ?? ''));
        break;
      case 'move': {
        const v = get(doc, o.from ?? '');
        remove(doc, o.from ?? '');
        add(doc, o.path, v);
        break;
      }
      default:
        throw new Error(`unsupported JSON patch op "${o.op}"`);
    }
  }
};
