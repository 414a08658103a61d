import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialDispatchState } from '../../core/model/dispatch-state.js';
import type { Clock } from '../../core/ports/clock.js';
import { openLowdbStateStore } from './lowdb-state-store.js';
import { makeAttempt, makeLease } from './state-fixtures.js';
import { describeStateStoreContract } from './state-store.contract.js';

const clock: Clock = { now: () => new Date('2025-03-01T09:00:00.000Z') };
const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'));

describeStateStoreContract('LowdbStateStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-store-'));
  const store = await openLowdbStateStore({ path: join(dir, 'state.json'), clock });
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('LowdbStateStore', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3sc-store-'));
    path = join(dir, 'data', 'nested', 'state.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a file written before records existed and keeps records across a reopen', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(
      path,
      JSON.stringify({ version: 1, attempts: {}, leases: {}, dispatch: initialDispatchState() }),
    );
    const first = await openLowdbStateStore({ path, clock });
    expect(await first.listRecords('audit')).toEqual([]);
    const at = '2025-03-01T09:00:00.000Z';
    await first.createRecord({
      kind: 'audit',
      name: 'e1',
      createdAt: at,
      updatedAt: at,
      data: { who: 'U1' },
    });
    await first.close();
    const second = await openLowdbStateStore({ path, clock });
    expect(await second.getRecord('audit', 'e1')).toMatchObject({ data: { who: 'U1' } });
    await second.close();
  });

  it('creates the file and its directory, holds a lock while open and releases it on close', async () => {
    const store = await openLowdbStateStore({ path, clock });
    expect(await readJson(path)).toEqual({
      version: 1,
      attempts: {},
      leases: {},
      dispatch: initialDispatchState(),
      records: {},
    });
    expect(await readJson(`${path}.lock`)).toEqual({
      pid: process.pid,
      startedAt: '2025-03-01T09:00:00.000Z',
      host: hostname(),
    });
    expect(store.notes).toEqual([]);
    await store.close();
    await expect(readFile(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.listAttempts()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('writes every change before it resolves, and reads it all back after reopening', async () => {
    const store = await openLowdbStateStore({ path, clock });
    const attempt = makeAttempt({ result: { ok: true, prNumber: 41, summary: 'done' }, lastLines: ['ok'] });
    await store.createAttempt(attempt);
    expect(await readJson(path)).toMatchObject({ attempts: { [attempt.name]: attempt } });
    await store.createLease(makeLease());
    await store.updateDispatchState((s) => ({
      ...s,
      paused: true,
      quotaUntil: { codex: '2025-03-01T12:00:00.000Z' },
    }));
    await store.close();

    const reopened = await openLowdbStateStore({ path, clock });
    expect(await reopened.listAttempts()).toEqual([attempt]);
    expect(await reopened.listLeases()).toEqual([makeLease()]);
    expect(await reopened.getDispatchState()).toMatchObject({
      paused: true,
      quotaUntil: { codex: '2025-03-01T12:00:00.000Z' },
    });
    await reopened.close();
  });

  it('refuses a second opener while the file is locked by a live process', async () => {
    const first = await openLowdbStateStore({ path, clock });
    const second = openLowdbStateStore({ path, clock });
    await expect(second).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(
        `state file ${path} is in use by process ${process.pid} (is \`k3sc serve\` running?)`,
      ),
    });
    await first.close();
    const third = await openLowdbStateStore({ path, clock });
    await third.close();
  });

  it('lets exactly one of several concurrent openers take the lock', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => openLowdbStateStore({ path, clock })),
    );
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(opened).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'unavailable' });
    await opened[0]!.close();
  });

  it('refuses an unreadable lock file rather than guessing who owns it', async () => {
    await openLowdbStateStore({ path, clock }).then((s) => s.close());
    await writeFile(`${path}.lock`, 'garbage');
    await expect(openLowdbStateStore({ path, clock })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(`delete ${path}.lock`),
    });
    expect(await readFile(`${path}.lock`, 'utf8')).toBe('garbage');
  });

  it('takes over a stale lock left by a process that has exited, with a note', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await openLowdbStateStore({ path, clock }).then((s) => s.close());
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: dead, startedAt: '2025-02-01T00:00:00.000Z', host: hostname() }),
    );
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (_: object, msg?: string) => void warnings.push(msg ?? ''),
      child: () => logger,
    };
    const store = await openLowdbStateStore({ path, clock, logger });
    expect(store.notes).toEqual([expect.stringContaining(`stale lock ${path}.lock of process ${dead}`)]);
    expect(warnings).toEqual(store.notes);
    expect(await readJson(`${path}.lock`)).toMatchObject({ pid: process.pid });
    await store.close();
  });

  it('refuses a lock held from another host, whose process it cannot check', async () => {
    await openLowdbStateStore({ path, clock }).then((s) => s.close());
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: 1, startedAt: '2025-02-01T00:00:00.000Z', host: 'elsewhere' }),
    );
    await expect(openLowdbStateStore({ path, clock })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('process 1 on host elsewhere'),
    });
  });

  it('keeps the previous state when a write fails', async () => {
    const store = await openLowdbStateStore({ path, clock });
    await rm(join(dir, 'data'), { recursive: true });
    await expect(store.createAttempt(makeAttempt())).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(path),
    });
    expect(await store.getAttempt('acme-widgets-12-1')).toBeUndefined();
    await store.close();
  });
});
