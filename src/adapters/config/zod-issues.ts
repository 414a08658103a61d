import { formatPath } from './config-path.js';

/** The fields of a zod 4 issue this module reads (finalised issues, parsed with `reportInput: true`). */
export interface LooseIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly LooseIssue[])[];
  readonly issues?: readonly LooseIssue[];
}

export interface Problem {
  readonly path: PropertyKey[];
  readonly message: string;
  /** Shown instead of the path when the problem is not in the file (e.g. `MAX_SLOTS (environment)`). */
  readonly label?: string;
}

export interface SortedIssues {
  readonly errors: Problem[];
  /** Paths of keys the schema does not know, e.g. ['scan', 'foo']. */
  readonly unknownKeys: PropertyKey[][];
}

const EXPECTED: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a number',
  boolean: 'true or false',
  null: 'nothing',
};

const kindOf = (v: unknown): string => {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v.length <= 40 ? `the string ${JSON.stringify(v)}` : 'a string';
  if (typeof v === 'bigint' || typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'boolean') return String(v);
  return typeof v;
};

const isRootTypeMismatch = (branch: readonly LooseIssue[]): boolean =>
  branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;

const describe = (issue: LooseIssue): string => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED[issue.expected ?? ''] ?? issue.expected ?? 'another type'}, got ${kindOf(issue.input)}`;
    case 'invalid_value':
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return `must be one of ${(issue.values ?? []).map(String).join(', ')}, got ${kindOf(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must have at least ${String(issue.minimum)} items`;
      if (issue.origin === 'string') return 'must not be empty';
      return issue.message;
    default:
      return issue.message;
  }
};

/** Flattens unions (keeping the branch that matched the input's type) and splits unknown keys from real errors. */
export const sortIssues = (
  issues: readonly LooseIssue[],
  base: readonly PropertyKey[] = [],
): SortedIssues => {
  const errors: Problem[] = [];
  const unknownKeys: PropertyKey[][] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) unknownKeys.push([...path, key]);
    } else if (issue.code === 'invalid_union' && issue.errors !== undefined) {
      const candidates = issue.errors.filter((b) => !isRootTypeMismatch(b));
      const chosen = candidates[0];
      if (chosen === undefined && issue.input === undefined) {
        errors.push({ path, message: 'required' });
      } else if (chosen === undefined) {
        const wanted = issue.errors
          .map((b) => EXPECTED[b[0]?.expected ?? ''] ?? b[0]?.expected)
          .filter(Boolean);
        errors.push({
          path,
          message: `expected ${[...new Set(wanted)].join(' or ')}, got ${kindOf(issue.input)}`,
        });
      } else {
        const inner = sortIssues(chosen, path);
        errors.push(...inner.errors);
        unknownKeys.push(...inner.unknownKeys);
      }
    } else if (issue.code === 'invalid_key' && issue.issues !== undefined) {
      for (const inner of issue.issues) errors.push({ path, message: describe(inner) });
    } else {
      errors.push({ path, message: describe(issue) });
    }
  }
  return { errors, unknownKeys };
};

export const formatProblem = (p: Problem): string => `${p.label ?? formatPath(p.path)}: ${p.message}`;
