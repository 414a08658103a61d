import { formatPath } from './config-path.js';
import { type RawConfig, rawConfigSchema } from './schema.js';
import { findSecretLiterals } from './secret-literals.js';
import { NO_METER, type WorkMeter } from './work-meter.js';
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

const pathKey = (p: readonly PropertyKey[]): string => JSON.stringify(p.map(String));

/**
 * Schema pass: unknown keys become warnings and are dropped (then the data is checked
 * again without them), every other issue is an error. Literal secrets are errors too.
 */
export const validateRaw = (data: unknown, meter: WorkMeter = NO_METER): RawValidation => {
  const warnings: string[] = [];
  const work: unknown = structuredClone(data);
  for (let pass = 0; pass < 8; pass++) {
    const result = rawConfigSchema.safeParse(work, { reportInput: true });
    const sorted = result.success ? { errors: [], unknownKeys: [] } : sortIssues(result.error.issues);
    meter.tick(sorted.errors.length);
    for (const key of sorted.unknownKeys) {
      meter.tick();
      warnings.push(
        `unknown key ${JSON.stringify(String(key[key.length - 1]))} at ${formatPath(key)} — ignored`,
      );
      removeAt(work, key);
    }
    if (sorted.unknownKeys.length > 0 && !result.success) continue;
    const reported = new Set(sorted.errors.map((e) => pathKey(e.path)));
    const secrets = findSecretLiterals(data).filter((s) => {
      meter.tick();
      return !reported.has(pathKey(s.path));
    });
    const errors = [...sorted.errors, ...secrets];
    return {
      value: result.success && errors.length === 0 ? result.data : undefined,
      errors,
      warnings: [...new Set(warnings)],
    };
  }
  return { value: undefined, errors: [{ path: [], message: 'too many nested unknown keys' }], warnings };
};
