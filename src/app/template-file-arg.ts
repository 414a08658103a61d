import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { K3scError } from '../core/errors.js';

/** The most a template file may hold (the config schema allows 16,000 characters). */
const MAX_TEMPLATE_FILE_BYTES = 64 * 1024;

/**
 * `configs save … --template-file <path>` is read here, by the CLI, and sent on as
 * `--template <text>`: the serve (or a chat user) never opens a path it is given.
 */
export const inlineTemplateFile = async (argv: readonly string[], cwd: string): Promise<string[]> => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const path =
      a === '--template-file' ? argv[++i] : a.startsWith('--template-file=') ? a.slice(16) : undefined;
    if (path === undefined) {
      if (a === '--template-file') throw new K3scError('bad_input', '--template-file needs a path');
      out.push(a);
      continue;
    }
    const file = resolve(cwd, path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new K3scError('bad_input', `--template-file ${path}: no such file`);
    if (info.size > MAX_TEMPLATE_FILE_BYTES)
      throw new K3scError('bad_input', `--template-file ${path} is over ${MAX_TEMPLATE_FILE_BYTES} bytes`);
    out.push('--template', await readFile(file, 'utf8'));
  }
  return out;
};
