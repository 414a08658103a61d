/** Secrets shorter than this are not redacted: they would mangle ordinary words and numbers. */
const MIN_SECRET_LENGTH = 6;

export const REDACTED = '***';

/** Replaces every occurrence of each secret with `***`. */
export const makeRedactor = (secrets: readonly (string | undefined)[]): ((line: string) => string) => {
  const values = [
    ...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH)),
  ];
  // Longest first, so a secret that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  if (values.length === 0) return (line) => line;
  return (line) => values.reduce((acc, v) => acc.split(v).join(REDACTED), line);
};

const SECRET_KEY = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL|AUTH|COOKIE/i;

/** Values of environment variables whose names say they hold secrets. */
export const secretValuesOf = (env: Readonly<Record<string, string | undefined>>): string[] =>
  Object.entries(env)
    .filter(([k, v]) => SECRET_KEY.test(k) && v !== undefined)
    .map(([, v]) => v ?? '');
