import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODEX_AUTH_ENV, materializeCodexAuth } from './codex-auth.js';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('materializeCodexAuth', () => {
  it('writes CODEX_AUTH_JSON to ~/.codex/auth.json (0600) and drops it from the environment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'codex-auth-'));
    const env = await materializeCodexAuth({ HOME: dir, [CODEX_AUTH_ENV]: '{"tokens":{}}', PATH: '/bin' });
    const file = join(dir, '.codex', 'auth.json');
    expect(await readFile(file, 'utf8')).toBe('{"tokens":{}}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(env).toEqual({ HOME: dir, PATH: '/bin' });
  });

  it('keeps an auth.json already in $CODEX_HOME, and leaves an environment without the variable alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'codex-auth-'));
    await mkdir(join(dir, 'c'));
    await writeFile(join(dir, 'c', 'auth.json'), 'own');
    await materializeCodexAuth({ CODEX_HOME: join(dir, 'c'), [CODEX_AUTH_ENV]: 'from-secret' });
    expect(await readFile(join(dir, 'c', 'auth.json'), 'utf8')).toBe('own');
    const plain = { HOME: dir };
    expect(await materializeCodexAuth(plain)).toBe(plain);
  });
});
