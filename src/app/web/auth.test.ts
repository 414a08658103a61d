import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';
import { sameToken, SessionStore } from './sessions.js';
import { addUser, readUsers, removeUser, verifyPassword } from './users-file.js';

describe('sessions', () => {
  it('expire after their ttl and are dropped', () => {
    let now = 1_000;
    const store = new SessionStore(60_000, () => now);
    const s = store.open();
    expect(store.get(s.id)).toEqual(s);
    now += 59_999;
    expect(store.get(s.id)).toBeDefined();
    now += 1;
    expect(store.get(s.id)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('logging in issues a new id and CSRF token; logout ends it', async () => {
    const store = new SessionStore(60_000, () => 0);
    const anon = store.open();
    const user = await store.login(anon, { name: 'alice', via: 'local' });
    expect(user.id).not.toBe(anon.id);
    expect(user.csrf).not.toBe(anon.csrf);
    expect(store.get(anon.id)).toBeUndefined();
    await store.end(user.id);
    expect(store.get(user.id)).toBeUndefined();
  });

  it('compares CSRF tokens exactly', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken(undefined, 'abc')).toBe(false);
  });
});

describe('login rate limiting', () => {
  it('refuses a name after 5 failures until the window moves on; another name from elsewhere still may', () => {
    let now = 0;
    const lim = new LoginLimiter(() => now, 5, 60_000, 5);
    for (let i = 0; i < 5; i++) {
      expect(lim.retryAfter('alice', '10.0.0.1')).toBe(0);
      lim.fail('alice', '10.0.0.1');
      now += 1_000;
    }
    expect(lim.retryAfter('alice', '10.0.0.2')).toBe(55_000);
    expect(lim.retryAfter('bob', '10.0.0.1')).toBe(55_000); // the address is limited too
    expect(lim.retryAfter('bob', '10.0.0.2')).toBe(0);
    now = 60_001;
    expect(lim.retryAfter('alice', '10.0.0.1')).toBe(0);
  });

  it('a success clears the name', () => {
    const lim = new LoginLimiter(() => 0, 2, 60_000);
    lim.fail('mallory', 'a');
    lim.fail('mallory', 'a');
    lim.fail('mallory', 'a');
    expect(lim.retryAfter('someone', 'a')).toBe(0); // one address may fail 4× as often as one name
    lim.fail('Alice', 'a');
    lim.fail('alice', 'b');
    expect(lim.retryAfter('alice', 'c')).toBeGreaterThan(0);
    lim.succeed('alice');
    expect(lim.retryAfter('alice', 'c')).toBe(0);
  });
});

describe('the users file', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('adds, verifies, updates and removes users; the file is 0600 and holds no password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k3sc-users-'));
    dirs.push(dir);
    const path = join(dir, 'users.json');
    expect(await readUsers(path)).toEqual([]);
    expect(await addUser(path, { name: 'alice', password: 'correct horse', role: 'operator' })).toBe('added');
    expect(await addUser(path, { name: 'alice', password: 'battery staple' })).toBe('updated');
    const [alice] = await readUsers(path);
    expect(alice?.role).toBeUndefined();
    expect(await verifyPassword('battery staple', alice?.hash)).toBe(true);
    expect(await verifyPassword('correct horse', alice?.hash)).toBe(false);
    expect(await verifyPassword('battery staple', undefined)).toBe(false);
    expect(await readFile(path, 'utf8')).not.toContain('battery');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await removeUser(path, 'alice')).toBe(true);
    expect(await removeUser(path, 'alice')).toBe(false);
  });

  it('refuses bad names and short passwords and saves nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k3sc-users-'));
    dirs.push(dir);
    const path = join(dir, 'users.json');
    await expect(addUser(path, { name: 'no spaces', password: 'longenough' })).rejects.toThrow(
      'a user name is 1 to 64 letters',
    );
    await expect(addUser(path, { name: 'bob', password: 'short' })).rejects.toThrow('at least 8 characters');
    expect(await readUsers(path)).toEqual([]);
  });
});
