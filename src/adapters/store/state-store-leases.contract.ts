import { expect, it } from 'vitest';
import type { StateStore } from '../../core/ports/state-store.js';
import { makeLease } from './state-fixtures.js';

/** Review leases: create is the lock, list is ordered, delete reports whether it removed one. */
export const leaseContract = (store: () => StateStore): void => {
  it('creates leases and lists them by createdAt, then name', async () => {
    const later = makeLease({ pr: 1, createdAt: '2025-03-01T12:00:00.000Z' });
    const tieB = makeLease({ pr: 3 });
    const tieA = makeLease({ pr: 2 });
    for (const l of [later, tieB, tieA]) await store().createLease(l);
    expect(await store().listLeases()).toEqual([tieA, tieB, later]);
  });

  it('refuses a second lease with the same name and keeps the first holder', async () => {
    await store().createLease(makeLease({ worker: 'claude-b', holder: 'cli:alice' }));
    await expect(store().createLease(makeLease({ worker: 'codex-a', holder: 'U123' }))).rejects.toMatchObject(
      {
        code: 'conflict',
        message: 'lease acme-widgets-pr-40 already exists',
      },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => store().createLease(makeLease({ pr: 41 }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store().listLeases()).map((l) => l.holder)).toEqual(['cli:alice', 'cli:alice']);
  });

  it('refuses a second lease for a worker that holds one, also under 20 concurrent creates', async () => {
    await store().createLease(makeLease({ pr: 40, worker: 'claude-b' }));
    await expect(store().createLease(makeLease({ pr: 41, worker: 'claude-b' }))).rejects.toMatchObject({
      code: 'conflict',
      message: 'worker claude-b already holds lease acme-widgets-pr-40',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store().createLease(makeLease({ pr: 50 + i, worker: 'codex-c' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store().listLeases()).filter((l) => l.worker === 'codex-c')).toHaveLength(1);
    await store().deleteLease('acme-widgets-pr-40');
    await store().createLease(makeLease({ pr: 41, worker: 'claude-b' }));
  });

  it('deletes a lease once; deleting an unknown name returns false', async () => {
    await store().createLease(makeLease({ pr: 40 }));
    await store().createLease(makeLease({ pr: 41 }));
    expect(await store().deleteLease('acme-widgets-pr-40')).toBe(true);
    expect(await store().deleteLease('acme-widgets-pr-40')).toBe(false);
    expect((await store().listLeases()).map((l) => l.name)).toEqual(['acme-widgets-pr-41']);
    await store().createLease(makeLease({ pr: 40, holder: 'cli:dave' }));
    expect((await store().listLeases()).map((l) => l.holder)).toContain('cli:dave');
  });

  it('hands out copies of leases', async () => {
    await store().createLease(makeLease());
    const [listed] = (await store().listLeases()) as { worker: string; repo: { name: string } }[];
    listed!.worker = 'someone-else';
    listed!.repo.name = 'other';
    expect(await store().listLeases()).toEqual([makeLease()]);
  });
};
