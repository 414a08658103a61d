import type { Problem } from './zod-issues.js';

/** Contents of secret files already read (by loadConfig), keyed by absolute path; an Error when reading failed. */
export type SecretFiles = ReadonlyMap<string, string | Error>;

export type Env = Readonly<Record<string, string | undefined>>;

/** A set, non-blank environment variable, trimmed. */
export const envSecret = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

const describeReadError = (err: Error): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err.message;
};

/** Reads one secret from the pre-read files, or records a problem at `path` naming the file (never its content). */
export const secretFromFile = (
  files: SecretFiles,
  file: string,
  path: PropertyKey[],
  errors: Problem[],
): string | undefined => {
  const content = files.get(file);
  if (content === undefined) {
    errors.push({
      path,
      message: `cannot read ${file}: secret files are read only when loading from disk (loadConfig)`,
    });
    return undefined;
  }
  if (content instanceof Error) {
    errors.push({ path, message: `cannot read ${file}: ${describeReadError(content)}` });
    return undefined;
  }
  const value = content.trim();
  if (value === '') {
    errors.push({ path, message: `${file} is empty` });
    return undefined;
  }
  return value;
};
