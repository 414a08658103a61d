import * as path from 'node:path';
import { K3scError } from '../../core/errors.js';
import { draftConfig, finishConfig } from './parse-config-text.js';
import { CONFIG_FILE_LIMIT, SECRET_FILE_LIMIT, readRegularFile, tooBig } from './read-regular-file.js';
import type { Env } from './secret-files.js';
import type { K3scConfig } from './types.js';
import type { WorkMeter } from './work-meter.js';

export interface LoadConfigOptions {
  /** From `--config`; wins over K3SC_CONFIG and the default file. */
  readonly path?: string;
  readonly env: Env;
  readonly homeDir: string;
  /**
   * Reads a file as UTF-8; errors carry a Node `code` (ENOENT…). Defaults to `readRegularFile`,
   * which refuses FIFOs, devices and oversized files. Its result is size-checked either way.
   */
  readonly readFile?: (p: string) => Promise<string>;
  readonly signal?: AbortSignal;
  readonly meter?: WorkMeter;
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
  if (opts.path !== undefined) {
    if (opts.path.trim() === '')
      throw new K3scError(
        'bad_input',
        '--config is empty: give the path of a config file, or leave --config out to use $K3SC_CONFIG or ~/.k3sc.yaml',
      );
    return { file: path.resolve(opts.path), explicit: '--config' };
  }
  if (fromEnv !== undefined && fromEnv !== '')
    return { file: path.resolve(fromEnv), explicit: 'K3SC_CONFIG' };
  return { file: path.join(opts.homeDir, '.k3sc.yaml'), explicit: undefined };
};

/** A reader that never returns more than `limit` bytes, whichever reader it wraps. */
const limitedReader =
  (opts: LoadConfigOptions, limit: number) =>
  async (p: string): Promise<string> => {
    if (opts.readFile === undefined) return readRegularFile(p, limit);
    const text = await opts.readFile(p);
    const size = Buffer.byteLength(text, 'utf8');
    if (size > limit) throw tooBig(size, limit);
    return text;
  };

/**
 * Finds, reads and validates the config. Defaults are used only when no path was given and
 * the default file does not exist; anything else that goes wrong throws `config_invalid`
 * (an empty `--config` is `bad_input`).
 */
export const loadConfig = async (opts: LoadConfigOptions): Promise<LoadedConfig> => {
  const signal = opts.signal;
  const read = limitedReader(opts, CONFIG_FILE_LIMIT);
  const readSecret = limitedReader(opts, SECRET_FILE_LIMIT);
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
    ...(opts.meter === undefined ? {} : { meter: opts.meter }),
  });
  signal?.throwIfAborted();
  const files = new Map<string, string | Error>();
  await Promise.all(
    draft.secretFiles.map(async (p) => {
      try {
        files.set(p, await readSecret(p));
      } catch (err) {
        files.set(p, asError(err));
      }
    }),
  );
  signal?.throwIfAborted();
  const { config, warnings } = finishConfig(draft, files);
  return { config, source, warnings };
};
