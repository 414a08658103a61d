import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { K3scError } from '../../core/errors.js';
import { loadConfig } from './load-config.js';
import { CONFIG_FILE_LIMIT } from './read-regular-file.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'k3sc-config-files-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

const failure = async (p: Promise<unknown>): Promise<K3scError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof K3scError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to fail');
};

const load = (path: string, readFile?: (p: string) => Promise<string>) =>
  loadConfig({ path, env: {}, homeDir: home, ...(readFile ? { readFile } : {}) });

describe('loadConfig refuses files it must not read (A15)', () => {
  it('refuses a FIFO at once instead of blocking for ever', async () => {
    const fifo = join(home, 'k3sc.yaml');
    execFileSync('mkfifo', [fifo]);
    const err = await failure(load(fifo));
    expect(err.code).toBe('config_invalid');
    expect(err.message).toBe(
      `cannot read config file ${fifo}: it is a FIFO (named pipe), not a regular file`,
    );
  });

  it('refuses a device such as /dev/urandom, and a directory', async () => {
    expect((await failure(load('/dev/urandom'))).message).toBe(
      'cannot read config file /dev/urandom: it is a character device, not a regular file',
    );
    const dir = join(home, 'conf.d');
    await mkdir(dir);
    expect((await failure(load(dir))).message).toContain('it is a directory, not a regular file');
  });

  it('refuses a file larger than 1 MiB, also through an injected reader', async () => {
    const big = join(home, 'big.yaml');
    await writeFile(big, `# ${'x'.repeat(CONFIG_FILE_LIMIT)}\n`);
    expect((await failure(load(big))).message).toBe(
      `cannot read config file ${big}: it is larger than 1 MiB (1,048,579 bytes)`,
    );
    const injected = await failure(
      load('/cfg.yaml', () => Promise.resolve('a'.repeat(CONFIG_FILE_LIMIT + 1))),
    );
    expect(injected.message).toContain('it is larger than 1 MiB (1,048,577 bytes)');
    await writeFile(big, `# ${'x'.repeat(CONFIG_FILE_LIMIT - 10)}\n`);
    expect((await load(big)).source).toEqual({ kind: 'file', path: big });
  });

  it('refuses a secret file that is a FIFO, naming the key', async () => {
    const fifo = join(home, 'token');
    execFileSync('mkfifo', [fifo]);
    const cfg = join(home, 'k3sc.yaml');
    await writeFile(cfg, `github: {token_file: ${fifo}}\n`);
    expect((await failure(load(cfg))).message).toContain(
      `github.token_file: cannot read ${fifo}: it is a FIFO (named pipe), not a regular file`,
    );
  });

  it('rejects an empty --config instead of ignoring it', async () => {
    for (const path of ['', '  ']) {
      const err = await failure(load(path));
      expect(err.code).toBe('bad_input');
      expect(err.message).toMatch(/^--config is empty/);
    }
  });
});
