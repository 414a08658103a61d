import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { K3scError } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.js';
import { acquireLockFile, acquireStateFileLock, type StateFileLock } from './state-file-lock.js';

const clock: Clock = { now: () => new Date('2025-03-01T09:00:00.000Z') };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3sc-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const race = async (n: number, statePath: string) => {
  const results = await Promise.allSettled(
    Array.from({ length: n }, () => acquireStateFileLock({ statePath, clock })),
  );
  const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  return { won, lost };
};

const releaseAll = (locks: readonly StateFileLock[]): Promise<unknown> =>
  Promise.all(locks.map((l) => l.release()));

describe('state file lock (A13)', () => {
  it('lets exactly one of several openers take over a stale lock, round after round', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const statePath = join(dir, 'state.json');
    for (let round = 0; round < 10; round++) {
      await writeFile(
        `${statePath}.lock`,
        JSON.stringify({ pid: dead, startedAt: '2025-02-01T00:00:00.000Z', host: hostname() }),
      );
      const { won, lost } = await race(8, statePath);
      expect(won, `round ${round}`).toHaveLength(1);
      for (const err of lost) expect(err.message).toContain(`in use by process ${process.pid}`);
      await releaseAll(won);
    }
  });

  it('never shows a half-written lock to a concurrent opener, and leaves no temp files', async () => {
    const statePath = join(dir, 'state.json');
    for (let round = 0; round < 10; round++) {
      const { won, lost } = await race(8, statePath);
      expect(won).toHaveLength(1);
      for (const err of lost) expect(err.message).not.toContain('unreadable');
      await releaseAll(won);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('uses the caller’s message when the lock is held', async () => {
    const lockPath = join(dir, 'serve.lock');
    const inUse = (detail: string): K3scError => new K3scError('conflict', `busy: ${detail}`);
    const first = await acquireLockFile({ lockPath, clock, inUse });
    await expect(acquireLockFile({ lockPath, clock, inUse })).rejects.toMatchObject({
      code: 'conflict',
      message: `busy: process ${process.pid}`,
    });
    await first.release();
    await (await acquireLockFile({ lockPath, clock, inUse })).release();
  });
});
