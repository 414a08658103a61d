import { formatPath } from './config-path.js';
import { type RawConfig, rawConfigSchema } from './schema.js';
import { findSecretLiterals } from './secret-literals.js';
import { type Problem, sortIssues } from './zod-issues.js';

export interface RawValidation {
  /** The validated file; undefined when there were errors. */
  readonly value: RawConfig | undefined;
  readonly errors: Problem[];
  readonly warnings: string[];
}

const removeAt = (root: unknown, p: readonly PropertyKey[]): void => {
  let node: unknown = root;
  for (const seg of p.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  const last = p[p.length - 1];
  if (node !== null && typeof node === 'object' && last !== undefined)
    delete (node as Record<PropertyKey, unknown>)[last];
};

const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean =>
  a.length === b.length && a.every((seg, i) => seg === b[i]);

/**
 * Schema pass: unknown keys become warnings and are dropped (then the data is checked
 * again without them), every other issue is an error. Literal secrets are errors too.
 */
export const validateRaw = (data: unknown): RawValidation => {
  const warnings: string[] = [];
  const work: unknown = structuredClone(data);
  for (let pass = 0; pass < 8; pass++) {
    const result = rawConfigSchema.safeParse(work, { reportInput: true });
    const sorted = result.success ? { errors: [], unknownKeys: [] } : sortIssues(result.error.issues);
    for (const key of sorted.unknownKeys) {
      warnings.push(
        `unknown key ${JSON.stringify(String(key[key.length - 1]))} at ${formatPath(key)} — ignored`,
      );
      removeAt(work, key);
    }
    if (sorted.unknownKeys.length > 0 && !result.success) continue;
    const secrets = findSecretLiterals(data).filter(
      (s) => !sorted.errors.some((e) => samePath(e.path, s.path)),
    );
    const errors = [...sorted.errors, ...secrets];
    return {
      value: result.success && errors.length === 0 ? result.data : undefined,
      errors,
      warnings: [...new Set(warnings)],
    };
  }
  return { value: undefined, errors: [{ path: [], message: 'too many nested unknown keys' }], warnings };
};
