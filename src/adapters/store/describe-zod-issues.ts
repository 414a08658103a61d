import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Renders a zod issue path as a JSON path a person can follow: `attempts["acme-w-1-1"].seq`. */
export const formatJsonPath = (path: readonly PropertyKey[]): string => {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
};

/** The first `max` problems, one per entry, each with its path, plus a count of the rest. */
export const describeZodIssues = (issues: readonly z.core.$ZodIssue[], max = 5): string[] => {
  const shown = issues.slice(0, max).map((issue) => `${formatJsonPath(issue.path)}: ${issue.message}`);
  const rest = issues.length - shown.length;
  return rest > 0 ? [...shown, `… and ${rest} more`] : shown;
};
