import { parseDocument } from 'yaml';

export interface YamlResult {
  /** The document as plain data; `{}` for an empty file. Undefined when the YAML is malformed. */
  readonly data: unknown;
  readonly errors: string[];
  readonly warnings: string[];
}

const describeYamlError = (err: {
  message: string;
  linePos?: readonly [{ line: number; col: number }, ...unknown[]];
}): string => {
  const first = err.message.split('\n')[0] ?? err.message;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  const pos = err.linePos?.[0];
  return pos === undefined ? `YAML: ${text}` : `YAML line ${pos.line}, column ${pos.col}: ${text}`;
};

/**
 * Integers are read as bigint so that 18-digit Discord ids survive; those that fit
 * in a safe integer become numbers again, the rest stay bigint for the id fields.
 */
const narrowBigInts = (node: unknown): unknown => {
  if (typeof node === 'bigint') {
    return node >= BigInt(Number.MIN_SAFE_INTEGER) && node <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(node)
      : node;
  }
  if (Array.isArray(node)) return node.map(narrowBigInts);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = narrowBigInts(v);
    return out;
  }
  return node;
};

/** YAML text → plain data, with every syntax error (line and column) and warning. */
export const parseYamlText = (text: string): YamlResult => {
  const doc = parseDocument(text, { intAsBigInt: true, prettyErrors: true, uniqueKeys: true });
  const warnings = doc.warnings.map(describeYamlError);
  if (doc.errors.length > 0) return { data: undefined, errors: doc.errors.map(describeYamlError), warnings };
  try {
    const js: unknown = doc.toJS({ maxAliasCount: 100 });
    const data = narrowBigInts(js ?? {});
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return {
        data: undefined,
        errors: ['(top level): must be a mapping of keys like "namespace: claude-agents"'],
        warnings,
      };
    }
    return { data, errors: [], warnings };
  } catch (err) {
    return {
      data: undefined,
      errors: [`YAML: ${err instanceof Error ? err.message : String(err)}`],
      warnings,
    };
  }
};
