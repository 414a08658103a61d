import { isSecretEntry } from './secret-rule.js';
import { TOKEN_SHAPES } from './token-shapes.js';

export const REDACTED = '***';

/** Known values shorter than this are not redacted: they would mangle ordinary words and numbers. */
export const MIN_SECRET_LENGTH = 6;

export type Redactor = (text: string) => string;

/**
 * The strings to look for for one secret: the value itself, its JSON-escaped form (log lines
 * are JSON), and each line of a multi-line value (logs are read and written line by line).
 */
const formsOf = (value: string): string[] => {
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  if (value.includes('\n')) forms.push(...value.split(/\r?\n/).map((l) => l.trim()));
  return forms.filter((f) => f.length >= MIN_SECRET_LENGTH);
};

/**
 * Replaces every occurrence of each known secret value, and every well-known token shape
 * (GitHub, Slack, Anthropic, OpenAI, AWS, PEM keys, Discord), with `***`. Longest values
 * first, so a secret that contains another is replaced whole.
 */
export const makeRedactor = (values: readonly (string | undefined)[]): Redactor => {
  const known = [...new Set(values.flatMap((v) => (v === undefined ? [] : formsOf(v))))];
  known.sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of known) if (out.includes(v)) out = out.split(v).join(REDACTED);
    for (const s of TOKEN_SHAPES) out = out.replace(s.pattern, REDACTED);
    return out;
  };
};

/** Values of the variables that are secrets by name or by value (see isSecretEntry). */
export const secretValuesOf = (env: Readonly<Record<string, string | undefined>>): string[] =>
  Object.entries(env).flatMap(([k, v]) => (v !== undefined && isSecretEntry(k, v) ? [v] : []));

/** A copy of `node` (plain data) with every string redacted; object keys are kept. */
export const redactDeep = <T>(node: T, redact: Redactor): T => {
  const walk = (n: unknown): unknown => {
    if (typeof n === 'string') return redact(n);
    if (Array.isArray(n)) return n.map(walk);
    if (n !== null && typeof n === 'object')
      return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v)]));
    return n;
  };
  return walk(node) as T;
};
