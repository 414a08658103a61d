import { describe, expect, it } from 'vitest';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { isLive } from '../model/attempt.js';
import { issueKey } from '../model/refs.js';
import { claimIssue } from '../usecases/claim.js';
import { killIssue } from '../usecases/kill.js';
import { startAttempt } from './start-attempt.js';

const expectOneRunPerIssue = async (h: EngineHarness, issues: number): Promise<void> => {
  const attempts = await h.attempts();
  const perIssue = new Map<string, number>();
  for (const a of attempts)
    perIssue.set(
      issueKey({ repo: a.repo, number: a.issue }),
      (perIssue.get(issueKey({ repo: a.repo, number: a.issue })) ?? 0) + 1,
    );
  expect([...perIssue.values()]).toEqual(Array.from({ length: issues }, () => 1));
  expect(h.runtime.starts).toBe(issues);
  expect(
    h.runtime
      .runs()
      .map((r) => r.spec.attemptName)
      .sort(),
  ).toEqual(attempts.map((a) => a.name).sort());
  const slots = attempts.filter(isLive).map((a) => a.slot);
  expect(new Set(slots).size).toBe(slots.length);
};

describe('engine: exactly once under concurrency', () => {
  it('20 concurrent passes and 20 direct startAttempt calls create one attempt per issue', async () => {
    const h = createHarness();
    for (let i = 0; i < 3; i++) h.seedReady({ title: `issue ${i}` });
    const plan = await h.engine.pass({ dryRun: true });
    expect(plan.entries.filter((e) => e.decision.dispatch)).toHaveLength(3);
    expect(await h.attempts()).toEqual([]);
    const passes = Array.from({ length: 20 }, () => h.engine.pass());
    const direct = Array.from({ length: 20 }, (_, i) =>
      startAttempt(h.deps, plan.entries[i % 3]!, 'cli:alice'),
    );
    const [reports, started] = await Promise.all([Promise.all(passes), Promise.all(direct)]);
    const total =
      reports.reduce((n, r) => n + r.started.length, 0) + started.filter((a) => a !== undefined).length;
    expect(total).toBe(3);
    await expectOneRunPerIssue(h, 3);
    for (const n of [1, 2, 3]) expect(h.tracker.comments({ repo: h.repo, number: n })).toHaveLength(1);
  });

  it('two replicas sharing the store, tracker and runtime never double-dispatch', async () => {
    const a = createHarness();
    const b = a.replica();
    for (let i = 0; i < 4; i++) a.seedReady({ title: `issue ${i}` });
    const passes = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).engine.pass());
    await Promise.all(passes);
    await expectOneRunPerIssue(a, 4);
  });

  it('a finishing run and concurrent passes apply the outcome once', async () => {
    const h = createHarness();
    const ref = h.seedReady();
    await h.engine.pass();
    h.runtime.finish('o-r-1-1', { exitCode: 1, log: '[result] {"ok":false,"reason":"boom"}\n' });
    h.engine.runExited();
    await Promise.all(Array.from({ length: 10 }, () => h.engine.pass()));
    const [first] = await h.attempts(ref);
    expect(first).toMatchObject({ phase: 'failed', reason: 'boom' });
    expect(h.events.filter((e) => e.type === 'attempt-finished')).toHaveLength(1);
    expect(h.alerts('attempt-failed')).toHaveLength(1);
  });

  it('two processes finishing one run at once (a CLI dispatch and the leader) report it once', async () => {
    const a = createHarness();
    const b = a.replica(); // its own issue queue: nothing in-process serialises the two
    const ref = a.seedReady();
    await a.engine.pass();
    a.runtime.finish('o-r-1-1', { exitCode: 1, log: '[result] {"ok":false,"reason":"boom"}\n' });
    await Promise.all([a.engine.pass(), b.engine.pass(), a.engine.pass(), b.engine.pass()]);
    const [first] = await a.attempts(ref);
    expect(first).toMatchObject({ phase: 'failed', reason: 'boom' });
    expect(a.events.filter((e) => e.type === 'attempt-finished')).toHaveLength(1);
  });

  it('a launch repeated by a second process marks the attempt running and started once', async () => {
    const a = createHarness();
    const b = a.replica();
    a.seedReady();
    const [plan] = (await a.engine.pass({ dryRun: true })).entries;
    const attempt = await startAttempt(a.deps, plan!, 'engine');
    await a.store.updateAttempt({ ...attempt!, phase: 'pending' }); // as if cut short before "running"
    await Promise.all([a.engine.pass(), b.engine.pass()]);
    expect(a.events.filter((e) => e.type === 'attempt-started')).toHaveLength(2); // the first launch, one resume
    expect((await a.attempts())[0]).toMatchObject({ phase: 'running' });
  });

  it('a kill or manual claim that lands while a pass is planning is not overridden by it', async () => {
    const h = createHarness();
    const killed = h.seedReady();
    const claimed = h.seedReady();
    await h.engine.pass({ dryRun: true });
    await Promise.all([
      h.engine.pass(),
      killIssue(h.deps, killed, ALICE),
      claimIssue(h.deps, claimed, 'codex-z', ALICE),
    ]);
    expect(h.tracker.labels(killed)).toEqual(['needs-human']);
    expect(h.tracker.labels(claimed)).toEqual(['codex-z']);
    expect(await h.attempts()).toEqual([]);
    expect(h.runtime.starts).toBe(0);
  });
});
