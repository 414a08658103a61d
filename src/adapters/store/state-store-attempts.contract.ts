import { expect, it } from 'vitest';
import type { Attempt } from '../../core/model/attempt.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { ACME, makeAttempt } from './state-fixtures.js';

const names = (list: readonly Attempt[]): string[] => list.map((a) => a.name);

/** Attempt records: the lock (create), lookups, filters, order, updates, deletes, copies. */
export const attemptContract = (store: () => StateStore): void => {
  it('stores an attempt and reads it back; an unknown name reads as undefined', async () => {
    const attempt = makeAttempt({
      usage: {
        inputTokens: 5,
        outputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 1,
        costUsd: 0.25,
        messageIds: ['m1'],
      },
    });
    await store().createAttempt(attempt);
    expect(await store().getAttempt(attempt.name)).toEqual(attempt);
    expect(await store().getAttempt('acme-widgets-99-1')).toBeUndefined();
  });

  it('refuses a second attempt with the same name and keeps the first', async () => {
    await store().createAttempt(makeAttempt({ requestedBy: 'engine' }));
    const second = store().createAttempt(makeAttempt({ requestedBy: 'cli:bob' }));
    await expect(second).rejects.toMatchObject({
      code: 'conflict',
      message: 'attempt acme-widgets-12-1 already exists',
    });
    expect((await store().getAttempt('acme-widgets-12-1'))?.requestedBy).toBe('engine');
  });

  it('lets exactly one of 20 concurrent creates of one name win', async () => {
    const racers = Array.from({ length: 20 }, (_, i) => makeAttempt({ requestedBy: `racer-${i}` }));
    const results = await Promise.allSettled(racers.map((a) => store().createAttempt(a)));
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [`racer-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    expect((await store().getAttempt('acme-widgets-12-1'))?.requestedBy).toBe(winners[0]);
    expect(await store().listAttempts()).toHaveLength(1);
  });

  it('replaces an existing attempt on update, and refuses to update one that does not exist', async () => {
    await store().createAttempt(makeAttempt());
    const running = makeAttempt({ phase: 'running', startedAt: '2025-03-01T10:01:00.000Z', prNumber: 41 });
    await store().updateAttempt(running);
    expect(await store().getAttempt(running.name)).toEqual(running);
    await expect(store().updateAttempt(makeAttempt({ issue: 13 }))).rejects.toMatchObject({
      code: 'not_found',
      message: 'attempt acme-widgets-13-1 not found',
    });
    expect(await store().getAttempt('acme-widgets-13-1')).toBeUndefined();
  });

  it('updates with ifPhase only while the stored record is in that phase (one of two finishers wins)', async () => {
    await store().createAttempt(makeAttempt({ phase: 'running', startedAt: '2025-03-01T10:01:00.000Z' }));
    const done = (reason: string): Attempt =>
      makeAttempt({
        phase: 'failed',
        startedAt: '2025-03-01T10:01:00.000Z',
        reason,
        finishedAt: '2025-03-01T10:02:00.000Z',
      });
    const results = await Promise.allSettled([
      store().updateAttempt(done('first'), undefined, { ifPhase: 'running' }),
      store().updateAttempt(done('second'), undefined, { ifPhase: 'running' }),
    ]);
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i === 0 ? 'first' : 'second'] : []));
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost).toMatchObject({
      reason: { code: 'conflict', message: 'attempt acme-widgets-12-1 is failed, not running' },
    });
    expect((await store().getAttempt('acme-widgets-12-1'))?.reason).toBe(won[0]);
  });

  it('lists attempts by createdAt, then name', async () => {
    const t = (m: number): string => `2025-03-01T10:0${m}:00.000Z`;
    const late = makeAttempt({ issue: 1, createdAt: t(5) });
    const tieB = makeAttempt({ issue: 3, createdAt: t(2) });
    const tieA = makeAttempt({ issue: 2, createdAt: t(2) });
    const early = makeAttempt({ issue: 9, createdAt: '2025-03-01T11:00:00+02:00' });
    for (const a of [late, tieB, early, tieA]) await store().createAttempt(a);
    expect(names(await store().listAttempts())).toEqual([early.name, tieA.name, tieB.name, late.name]);
  });

  it('filters by repository (ignoring case), issue and liveness', async () => {
    const other = { owner: 'acme', name: 'gadgets' };
    await store().createAttempt(
      makeAttempt({ issue: 12, seq: 1, phase: 'failed', createdAt: '2025-03-01T10:00:00.000Z' }),
    );
    await store().createAttempt(
      makeAttempt({ issue: 12, seq: 2, phase: 'running', createdAt: '2025-03-01T10:01:00.000Z' }),
    );
    await store().createAttempt(
      makeAttempt({ issue: 13, phase: 'pending', createdAt: '2025-03-01T10:02:00.000Z' }),
    );
    await store().createAttempt(makeAttempt({ repo: other, issue: 12, phase: 'running' }));
    const shouted = { owner: 'ACME', name: 'Widgets' };
    expect(names(await store().listAttempts({ repo: shouted }))).toEqual([
      'acme-widgets-12-1',
      'acme-widgets-12-2',
      'acme-widgets-13-1',
    ]);
    expect(names(await store().listAttempts({ repo: ACME, issue: 12 }))).toEqual([
      'acme-widgets-12-1',
      'acme-widgets-12-2',
    ]);
    expect(names(await store().listAttempts({ issue: 12, liveOnly: true }))).toEqual([
      'acme-gadgets-12-1',
      'acme-widgets-12-2',
    ]);
    expect(names(await store().listAttempts({ repo: ACME, liveOnly: true }))).toEqual([
      'acme-widgets-12-2',
      'acme-widgets-13-1',
    ]);
    expect(await store().listAttempts({ repo: { owner: 'acme', name: 'nothing' } })).toEqual([]);
  });

  it('deletes every attempt of one issue of one repository and says how many', async () => {
    await store().createAttempt(makeAttempt({ seq: 1 }));
    await store().createAttempt(makeAttempt({ seq: 2 }));
    await store().createAttempt(makeAttempt({ issue: 13 }));
    await store().createAttempt(makeAttempt({ repo: { owner: 'acme', name: 'gadgets' } }));
    expect(await store().deleteAttempts({ owner: 'Acme', name: 'WIDGETS' }, 12)).toBe(2);
    expect(names(await store().listAttempts())).toEqual(['acme-gadgets-12-1', 'acme-widgets-13-1']);
    expect(await store().deleteAttempts(ACME, 12)).toBe(0);
    await store().createAttempt(makeAttempt({ seq: 1, requestedBy: 'cli:carol' }));
    expect((await store().getAttempt('acme-widgets-12-1'))?.requestedBy).toBe('cli:carol');
  });

  it('hands out copies: changing a returned or submitted object does not change the store', async () => {
    const submitted = makeAttempt({ lastLines: ['one'] });
    await store().createAttempt(submitted);
    (submitted.lastLines as string[]).push('injected');
    const got = (await store().getAttempt(submitted.name)) as unknown as {
      phase: string;
      lastLines: string[];
    };
    got.phase = 'killed';
    got.lastLines.push('two');
    const [listed] = (await store().listAttempts()) as { repo: { owner: string } }[];
    listed!.repo.owner = 'evil';
    expect(await store().getAttempt(submitted.name)).toEqual(makeAttempt({ lastLines: ['one'] }));
  });

  it('refuses a record it could not store faithfully, and stores nothing', async () => {
    const bad = { ...makeAttempt(), seq: 0 };
    const refused = store().createAttempt(bad);
    await expect(refused).rejects.toMatchObject({ code: 'bad_input' });
    await expect(refused).rejects.toThrow(/attempt acme-widgets-12-1 cannot be stored: seq/);
    expect(await store().listAttempts()).toEqual([]);
  });

  it('rejects a call whose signal is already aborted, without changing anything', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(store().createAttempt(makeAttempt(), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(store().listAttempts({}, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(await store().listAttempts()).toEqual([]);
  });
};
