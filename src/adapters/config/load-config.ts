import { readFile as fsReadFile } from 'node:fs/promises';
import * as path from 'node:path';
import { K3scError } from '../../core/errors.js';
import { draftConfig, finishConfig } from './parse-config-text.js';
import type { Env } from './secret-files.js';
import type { K3scConfig } from './types.js';

export interface LoadConfigOptions {
  /** From `--config`; wins over K3SC_CONFIG and the default file. */
  readonly path?: string;
  readonly env: Env;
  readonly homeDir: string;
  /** Reads a file as UTF-8; errors carry a Node `code` (ENOENT…). Defaults to node:fs. */
  readonly readFile?: (p: string) => Promise<string>;
  readonly signal?: AbortSignal;
}

export type ConfigSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'defaults'; readonly path: string };

export interface LoadedConfig {
  readonly config: K3scConfig;
  readonly source: ConfigSource;
  readonly warnings: string[];
}

const errnoCode = (err: unknown): string | undefined =>
  err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Which file to read, and whether it was asked for explicitly (then it must exist). */
const locate = (opts: LoadConfigOptions): { file: string; explicit: string | undefined } => {
  const fromEnv = opts.env['K3SC_CONFIG']?.trim();
  if (opts.path !== undefined) return { file: path.resolve(opts.path), explicit: '--config' };
  if (fromEnv !== undefined && fromEnv !== '')
    return { file: path.resolve(fromEnv), explicit: 'K3SC_CONFIG' };
  return { file: path.join(opts.homeDir, '.k3sc.yaml'), explicit: undefined };
};

/**
 * Finds, reads and validates the config. Defaults are used only when no path was given and
 * the default file does not exist; anything else that goes wrong throws `config_invalid`.
 */
export const loadConfig = async (opts: LoadConfigOptions): Promise<LoadedConfig> => {
  const signal = opts.signal;
  const read =
    opts.readFile ??
    ((p: string) => fsReadFile(p, { encoding: 'utf8', ...(signal === undefined ? {} : { signal }) }));
  const { file, explicit } = locate(opts);
  let text: string;
  let source: ConfigSource = { kind: 'file', path: file };
  try {
    signal?.throwIfAborted();
    text = await read(file);
  } catch (err) {
    if (signal?.aborted === true) throw err;
    const code = errnoCode(err);
    if (code === 'ENOENT' && explicit === undefined) {
      text = '';
      source = { kind: 'defaults', path: file };
    } else if (code === 'ENOENT') {
      throw new K3scError('config_invalid', `config file ${file} (from ${explicit}) does not exist`, {
        cause: err,
      });
    } else {
      throw new K3scError('config_invalid', `cannot read config file ${file}: ${asError(err).message}`, {
        cause: err,
      });
    }
  }
  const draft = draftConfig(text, opts.env, source.kind === 'file' ? file : `defaults (no file at ${file})`, {
    homeDir: opts.homeDir,
    baseDir: path.dirname(file),
  });
  const files = new Map<string, string | Error>();
  await Promise.all(
    draft.secretFiles.map(async (p) => {
      try {
        files.set(p, await read(p));
      } catch (err) {
        files.set(p, asError(err));
      }
    }),
  );
  signal?.throwIfAborted();
  const { config, warnings } = finishConfig(draft, files);
  return { config, source, warnings };
};
