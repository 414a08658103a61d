import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { K3scConfig } from '../adapters/config/index.js';
import { readUsers, verifyPassword } from './web/users-file.js';
import { webUserCommand } from './web-user-cli.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const setup = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-webuser-'));
  dirs.push(dir);
  const usersFile = join(dir, 'users.json');
  const config = { web: { basePath: '/', usersFile, sessionTtlMs: 1000 } } as unknown as K3scConfig;
  const out: string[] = [];
  const io = (stdin: string) => ({
    input: Readable.from([stdin]),
    out: (s: string) => void out.push(s),
    err: () => undefined,
  });
  return { usersFile, config, out, io };
};

describe('k3sc web user add|remove', () => {
  it('reads the password from the first line of stdin and stores only its hash', async () => {
    const { usersFile, config, out, io } = await setup();
    await webUserCommand(
      config,
      { action: 'add', name: 'alice', role: 'operator', json: true },
      io('s3cret-pass\nignored\n'),
    );
    expect(JSON.parse(out[0] ?? '')).toEqual({ added: 'alice', role: 'operator', file: usersFile });
    const [alice] = await readUsers(usersFile);
    expect(alice?.role).toBe('operator');
    expect(await verifyPassword('s3cret-pass', alice?.hash)).toBe(true);
    await webUserCommand(config, { action: 'remove', name: 'alice' }, io(''));
    expect(out[1]).toContain('removed web user alice');
    expect(await readUsers(usersFile)).toEqual([]);
  });

  it('refuses a bad role, a short password and an unknown user, saving nothing', async () => {
    const { usersFile, config, io } = await setup();
    await expect(
      webUserCommand(config, { action: 'add', name: 'bob', role: 'god' }, io('long-enough\n')),
    ).rejects.toThrow('--role must be one of viewer, operator, admin (got "god")');
    await expect(webUserCommand(config, { action: 'add', name: 'bob' }, io('short\n'))).rejects.toThrow(
      'at least 8',
    );
    await expect(webUserCommand(config, { action: 'remove', name: 'bob' }, io(''))).rejects.toThrow(
      'no web user bob',
    );
    expect(await readUsers(usersFile)).toEqual([]);
  });
});
