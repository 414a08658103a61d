import { LineCounter, type Node, isNode, isScalar, parseDocument, visit } from 'yaml';
import { formatPath } from './config-path.js';
import { NO_METER, type WorkMeter } from './work-meter.js';

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

/** What a key becomes in the plain object (so `1` and `"1"` are the same key, as they are in JS). */
const keyText = (key: unknown): string => {
  if (isScalar(key)) return String(key.value);
  // A collection used as a key (`? [a, b]`): its YAML text.
  return isNode(key) ? key.toString() : '';
};

/**
 * Duplicate keys, found with one Set per mapping. yaml's own `uniqueKeys` check compares each
 * key with every earlier one, which made a 20,000-key file take most of a minute.
 */
const duplicateKeys = (
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  meter: WorkMeter,
): string[] => {
  const errors: string[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number | undefined>();
      for (const pair of map.items) {
        meter.tick();
        const text = keyText(pair.key);
        const offset = (pair.key as Node | null)?.range?.[0];
        const first = seen.get(text);
        if (!seen.has(text)) {
          seen.set(text, offset);
          continue;
        }
        const where =
          offset === undefined
            ? 'YAML'
            : `YAML line ${lines.linePos(offset).line}, column ${lines.linePos(offset).col}`;
        const earlier = first === undefined ? '' : ` (first on line ${lines.linePos(first).line})`;
        errors.push(
          `${where}: Map keys must be unique: ${JSON.stringify(text.slice(0, 60))} is set twice${earlier}`,
        );
      }
    },
  });
  return errors;
};

/**
 * Integers are read as bigint so that 18-digit Discord ids survive; those that fit
 * in a safe integer become numbers again, the rest stay bigint for the id fields.
 * `__proto__` keys cannot be kept in a plain object: they are dropped, with a warning.
 */
const narrowBigInts = (node: unknown, path: PropertyKey[], warnings: string[], meter: WorkMeter): unknown => {
  meter.tick();
  if (typeof node === 'bigint') {
    return node >= BigInt(Number.MIN_SAFE_INTEGER) && node <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(node)
      : node;
  }
  if (Array.isArray(node)) return node.map((item, i) => narrowBigInts(item, [...path, i], warnings, meter));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '__proto__') {
        warnings.push(`key "__proto__" at ${formatPath(path)} is not allowed — ignored`);
        continue;
      }
      out[k] = narrowBigInts(v, [...path, k], warnings, meter);
    }
    return out;
  }
  return node;
};

/** Deeper than any config needs; far below where yaml's recursion (and V8) gives up. */
export const MAX_FLOW_DEPTH = 64;

/**
 * The deepest `[`/`{` nesting outside quotes and comments, stopping once past `limit`. Run before
 * yaml: thousands of nested brackets crash the process inside yaml instead of failing cleanly.
 */
export const flowDepth = (text: string, limit: number, meter: WorkMeter = NO_METER): number => {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    meter.tick();
    const c = text[i] ?? '';
    const prev = text[i - 1] ?? '\n';
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) i = endOfQuoted(text, i);
    else if (c === '#' && /\s/.test(prev)) i = endOfLine(text, i);
    else if (c === '[' || c === '{') {
      depth += 1;
      deepest = Math.max(deepest, depth);
      if (deepest > limit) return deepest;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
  }
  return deepest;
};

/** Index of the quote that closes the one at `start` (a backslash escapes in "…" only). */
const endOfQuoted = (text: string, start: number): number => {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++)
    if (text[i] === quote && (quote === "'" || text[i - 1] !== '\\')) return i;
  return text.length;
};

const endOfLine = (text: string, start: number): number => {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? text.length : nl;
};

/** YAML text → plain data, with every syntax error (line and column) and warning. */
export const parseYamlText = (text: string, meter: WorkMeter = NO_METER): YamlResult => {
  if (flowDepth(text, MAX_FLOW_DEPTH, meter) > MAX_FLOW_DEPTH)
    return {
      data: undefined,
      errors: [`YAML: nested more than ${MAX_FLOW_DEPTH} levels deep`],
      warnings: [],
    };
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    intAsBigInt: true,
    prettyErrors: true,
    uniqueKeys: false,
    lineCounter: lines,
  });
  const warnings = doc.warnings.map(describeYamlError);
  const errors = [...doc.errors.map(describeYamlError), ...duplicateKeys(doc, lines, meter)];
  if (errors.length > 0) return { data: undefined, errors, warnings };
  try {
    const js: unknown = doc.toJS({ maxAliasCount: 100 });
    const data = narrowBigInts(js ?? {}, [], warnings, meter);
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
