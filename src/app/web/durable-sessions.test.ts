import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../adapters/store/memory-state-store.js';
import { openLowdbStateStore } from '../../adapters/store/lowdb-state-store.js';
import type { FastifyRequest } from 'fastify';
import { SESSION_KIND, sessionKey, SessionStore } from './sessions.js';
import { addUser, removeUser } from './users-file.js';
import { viewerOf, type ViewerDeps } from './web-viewer.js';

const TTL = 60_000;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('durable web sessions (web-session records)', () => {
  it('stores a login under the hash of its id, never the id, and without any token but the CSRF one', async () => {
    const records = new MemoryStateStore();
    const store = new SessionStore(TTL, () => 1_000, records);
    const s = await store.login(store.open(), { name: 'alice', via: 'github' });
    const all = await records.listRecords(SESSION_KIND);
    expect(all.map((r) => r.name)).toEqual([sessionKey(s.id)]);
    expect(sessionKey(s.id)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(all)).not.toContain(s.id);
    expect(all[0]?.data).toEqual({ csrf: s.csrf, user: { name: 'alice', via: 'github' }, expiresAt: 61_000 });
  });

  it('anonymous sessions stay in memory only', async () => {
    const records = new MemoryStateStore();
    const store = new SessionStore(TTL, () => 0, records);
    store.open();
    store.open();
    expect(await records.listRecords(SESSION_KIND)).toEqual([]);
  });

  it('a new store over the same records (a restarted serve) knows the login after load()', async () => {
    const records = new MemoryStateStore();
    let now = 0;
    const first = new SessionStore(TTL, () => now, records);
    const s = await first.login(undefined, { name: 'olivia', role: 'operator', via: 'local' });
    const second = new SessionStore(TTL, () => now, records);
    expect(second.get(s.id)).toBeUndefined();
    await second.load(s.id);
    expect(second.get(s.id)).toEqual(s);
    now = TTL; // expired
    expect(second.get(s.id)).toBeUndefined();
  });

  it('a logout deletes the record, and another store notices on its next check', async () => {
    const records = new MemoryStateStore();
    let now = 0;
    const a = new SessionStore(TTL * 10, () => now, records);
    const b = new SessionStore(TTL * 10, () => now, records);
    const s = await a.login(undefined, { name: 'alice', via: 'local' });
    await b.load(s.id);
    expect(b.get(s.id)?.user?.name).toBe('alice');
    await a.end(s.id);
    expect(await records.listRecords(SESSION_KIND)).toEqual([]);
    await b.load(s.id);
    expect(b.get(s.id)).toBeDefined(); // checked less than 30 s ago: memory is trusted
    now += 30_000;
    await b.load(s.id);
    expect(b.get(s.id)).toBeUndefined();
  });

  it('an expired record is refused and deleted on load; prune removes the old ones', async () => {
    const records = new MemoryStateStore();
    let now = 0;
    const store = new SessionStore(TTL, () => now, records);
    const old = await store.login(undefined, { name: 'alice', via: 'local' });
    now = 30_000;
    const young = await store.login(undefined, { name: 'bob', via: 'local' });
    now = TTL + 1;
    const fresh = new SessionStore(TTL, () => now, records);
    await fresh.load(old.id);
    expect(fresh.get(old.id)).toBeUndefined();
    expect(await records.getRecord(SESSION_KIND, sessionKey(old.id))).toBeUndefined();
    now = 30_000 + TTL + 1;
    expect(await fresh.prune()).toBe(1);
    expect(await records.getRecord(SESSION_KIND, sessionKey(young.id))).toBeUndefined();
  });

  it('a record that does not match the schema is treated as no session', async () => {
    const records = new MemoryStateStore();
    const store = new SessionStore(TTL, () => 0, records);
    await records.createRecord({
      kind: SESSION_KIND,
      name: sessionKey('planted'),
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
      data: { user: 'admin' },
    });
    await store.load('planted');
    expect(store.get('planted')).toBeUndefined();
  });

  it('survives a real restart of the lowdb state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k3sc-sessions-'));
    dirs.push(dir);
    const path = join(dir, 'state.json');
    const db1 = await openLowdbStateStore({ path });
    const s = await new SessionStore(TTL, () => Date.now(), db1).login(undefined, {
      name: 'olivia',
      via: 'local',
    });
    await db1.close();
    expect(await readFile(path, 'utf8')).not.toContain(s.id);
    const db2 = await openLowdbStateStore({ path });
    const again = new SessionStore(TTL, () => Date.now(), db2);
    await again.load(s.id);
    expect(again.get(s.id)?.user).toEqual({ name: 'olivia', via: 'local' });
    await again.end(s.id);
    await db2.close();
  });
});

describe('a stored local session follows the users file', () => {
  it('a removed user is logged out on the next request, a changed role counts at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k3sc-viewer-'));
    dirs.push(dir);
    const usersFile = join(dir, 'web-users.json');
    await addUser(usersFile, { name: 'bob', password: 'bob-password-1', role: 'operator' });
    const sessions = new SessionStore(TTL, () => 0, new MemoryStateStore());
    const d: ViewerDeps = {
      sessions,
      policy: { admins: [], operators: [], viewers: [], unknown: 'viewer' },
      usersFile,
      sandbox: false,
      oauth: false,
      base: '',
      ttlMs: TTL,
    };
    const req = { ip: '192.0.2.1' } as FastifyRequest;
    const s = await sessions.login(undefined, { name: 'bob', role: 'operator', via: 'local' });
    expect(await viewerOf(d, req, s)).toMatchObject({ kind: 'user', role: 'operator' });
    await removeUser(usersFile, 'bob');
    await addUser(usersFile, { name: 'bob', password: 'bob-password-2', role: 'viewer' });
    expect(await viewerOf(d, req, s)).toMatchObject({ kind: 'user', role: 'viewer' });
    await removeUser(usersFile, 'bob');
    expect(await viewerOf(d, req, s)).toEqual({ kind: 'none' });
    const gh = await sessions.login(undefined, { name: 'octocat', via: 'github' });
    expect(await viewerOf(d, req, gh)).toMatchObject({ kind: 'user', role: 'viewer' });
  });
});
