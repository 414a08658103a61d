import type { z } from 'zod';
import { K3scError } from '../../../core/errors.js';
import { describeZodIssues } from '../../store/describe-zod-issues.js';
import type { KubeRecord } from './custom-resources.js';
import { objectName } from './object-names.js';

/**
 * Checks records on their way in and out. Going in, a record the schema refuses is `bad_input`
 * and nothing is written. Coming back, an object a person edited badly is `state_corrupt`,
 * naming the object and each bad field (`spec.seq`), so one broken CR is reported, never a crash.
 */
export const checkedRecord = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeZodIssues(parsed.error.issues, 3).join('; ');
  throw new K3scError('bad_input', `${what} cannot be stored: ${problems}`, { cause: parsed.error });
};

const corrupt = (describe: string, problem: string, cause?: unknown): K3scError =>
  new K3scError(
    'state_corrupt',
    `${describe} is invalid: ${problem}; fix it with kubectl edit, or delete it`,
    cause === undefined ? undefined : { cause },
  );

export const readSpec = <S extends z.ZodType>(
  schema: S,
  obj: KubeRecord,
  describe: (name: string) => string,
  nameOf: (record: z.output<S>) => string,
): z.output<S> => {
  const name = obj.metadata.name ?? '(unnamed)';
  const parsed = schema.safeParse(obj.spec);
  if (!parsed.success) {
    const problems = describeZodIssues(
      parsed.error.issues.map((i) => ({ ...i, path: ['spec', ...i.path] })),
      3,
    ).join('; ');
    throw corrupt(describe(name), problems, parsed.error);
  }
  const expected = objectName(nameOf(parsed.data));
  if (expected !== name)
    throw corrupt(describe(name), `spec names another record (its object would be ${expected})`);
  // A plain copy: zod freezes readonly arrays, callers get records they may change.
  return structuredClone(parsed.data);
};
