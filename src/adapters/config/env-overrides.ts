import type { Env } from './secret-files.js';
import type { Problem } from './zod-issues.js';

/** MAX_SLOTS overrides max_slots (the earlier tool's pod compatibility); it is validated like the file value. */
export const maxSlotsFromEnv = (env: Env, errors: Problem[]): number | undefined => {
  const text = env['MAX_SLOTS']?.trim();
  if (text === undefined || text === '') return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 26) return n;
  const shown = text.length <= 20 ? JSON.stringify(text) : 'the value';
  errors.push({
    path: [],
    label: 'MAX_SLOTS (environment)',
    message: `${shown} is not a whole number between 1 and 26`,
  });
  return undefined;
};
