import { describe, expect, it } from 'vitest';
import { InjectedCrash } from '../../testing/crash-switch.js';
import { ALICE } from '../../testing/engine-fixtures.js';
import { createHarness, type EngineHarness, type HarnessOptions } from '../../testing/engine-harness.js';
import { failLog, okLog } from '../../testing/engine-log-lines.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { claimIssue } from '../usecases/claim.js';
import { killIssue } from '../usecases/kill.js';
import { releaseReview, takeReview } from '../usecases/leases.js';
import { resetIssue } from '../usecases/reset.js';

/**
 * Every crash window of start, finish, kill, reset, claim and take: for each side effect of a
 * flow in turn, that effect happens and then the process dies (`crash`: a new process with cold
 * caches takes over) or the call's answer is lost (`fail`: the same process carries on). Either
 * way the farm must converge on the state the flow promises, with nothing lost or duplicated.
 */
interface Scenario<C> {
  readonly opts?: HarnessOptions;
  setup(h: EngineHarness): Promise<C>;
  act(p: EngineHarness, ctx: C): Promise<unknown>;
  /** What later passes do; `h` is the shared world (GitHub, store, runtime), `p` the live process. */
  converge?(p: EngineHarness, h: EngineHarness, ctx: C): Promise<void>;
  check(h: EngineHarness, ctx: C, where: string): Promise<void>;
}

const MINUTE = 60_000;

/** Ends every running run: successfully (with PR #50), or failing. */
const endRuns = (h: EngineHarness, ok: boolean): void => {
  for (const name of h.runtime.running())
    h.runtime.finish(
      name,
      ok ? { exitCode: 0, log: okLog(50) } : { exitCode: 1, log: failLog('tests fail') },
    );
};

/** Passes with time moving on (past back-offs and the orphan grace), never two live runs of one issue. */
const settle = async (
  p: EngineHarness,
  h: EngineHarness,
  runs: 'succeed' | 'fail' | 'keep',
): Promise<void> => {
  for (let i = 0; i < 6; i++) {
    await p.engine.pass();
    expect(h.runtime.running().length).toBeLessThanOrEqual(1);
    if (runs !== 'keep') endRuns(h, runs === 'succeed');
    h.advance(11 * MINUTE);
  }
};

const everyWindow = async <C>(s: Scenario<C>): Promise<number> => {
  let windows = 0;
  for (const mode of ['crash', 'fail'] as const)
    for (let at = 1; at < 80; at++) {
      const h = createHarness(s.opts);
      const ctx = await s.setup(h);
      const p = h.restart({ crashAt: at, mode });
      try {
        await s.act(p, ctx);
      } catch (err) {
        if (!p.crash.fired) throw err;
        if (mode === 'crash') expect(err).toBeInstanceOf(InjectedCrash);
      }
      if (!p.crash.fired) break;
      windows++;
      const next = mode === 'crash' ? h.restart() : p;
      await (s.converge ? s.converge(next, h, ctx) : settle(next, h, 'keep'));
      await s.check(h, ctx, `${mode} after effect ${at} (${p.crash.done.at(-1) ?? '?'})`);
    }
  return windows;
};

const unique = (xs: readonly string[]): boolean => new Set(xs).size === xs.length;

const startedRun = async (h: EngineHarness): Promise<{ ref: IssueRef }> => {
  const ref = h.seedReady();
  await h.engine.pass();
  expect(h.runtime.running()).toEqual(['o-r-1-1']);
  return { ref };
};

describe('crash windows: a failure right after any side effect converges', () => {
  it('start and finish (implement, then review): two runs, both applied once, needs-human', async () => {
    const windows = await everyWindow({
      setup: (h) => Promise.resolve({ ref: h.seedReady() }),
      act: async (p) => {
        for (let i = 0; i < 3; i++) {
          await p.engine.pass();
          endRuns(p, true);
        }
      },
      converge: (p, h) => settle(p, h, 'succeed'),
      check: async (h, { ref }, where) => {
        expect(h.tracker.labels(ref), where).toEqual(['needs-human']);
        const attempts = await h.attempts(ref);
        expect(
          attempts.filter((a) => !a.interrupted).map((a) => [a.kind, a.phase]),
          where,
        ).toEqual([
          ['implement', 'succeeded'],
          ['review', 'succeeded'],
        ]);
        expect(h.runtime.starts, where).toBe(2);
        expect(unique(h.tracker.comments(ref)), where).toBe(true);
        expect(
          h.tracker.comments(ref).filter((c) => c.includes(' is implementing this')),
          where,
        ).toHaveLength(1);
      },
    });
    expect(windows).toBeGreaterThan(10);
  });

  it('a failing finish that parks the issue: one parked comment, never retried', async () => {
    await everyWindow({
      opts: { settings: { maxAttempts: 1 } },
      setup: async (h) => {
        const { ref } = await startedRun(h);
        endRuns(h, false);
        return { ref };
      },
      act: (p) => p.engine.pass(),
      check: async (h, { ref }, where) => {
        expect(h.tracker.labels(ref), where).toEqual(['needs-human']);
        expect(
          (await h.attempts(ref)).map((a) => a.phase),
          where,
        ).toEqual(['failed']);
        expect(
          h.tracker.comments(ref).filter((c) => c.startsWith('k3sc parked this issue')),
          where,
        ).toHaveLength(1);
        expect(h.runtime.starts, where).toBe(1);
      },
    });
  });

  it('a usage-limit finish: the quota mark and its alert are never lost', async () => {
    await everyWindow({
      setup: async (h) => {
        const { ref } = await startedRun(h);
        const until = new Date(h.clock.now().getTime() + 5 * 3_600_000).toISOString();
        h.runtime.finish('o-r-1-1', {
          exitCode: 1,
          log: `[result] ${JSON.stringify({ ok: false, reason: 'usage limit', quotaResetAt: until })}\n`,
        });
        return { ref, until };
      },
      act: (p) => p.engine.pass(),
      check: async (h, { ref, until }, where) => {
        expect((await h.state()).quotaUntil.claude, where).toBe(until);
        expect(h.alerts('quota-exhausted').length, where).toBeGreaterThanOrEqual(1);
        expect((await h.attempts(ref))[0]?.phase, where).toBe('failed');
      },
    });
  });

  it('kill: the issue ends in needs-human, the run stopped, one comment, and it never runs again', async () => {
    const windows = await everyWindow({
      setup: startedRun,
      act: (p, { ref }) => killIssue(p.deps, ref, ALICE),
      check: async (h, { ref }, where) => {
        expect(h.tracker.labels(ref), where).toEqual(['needs-human']);
        expect(h.runtime.running(), where).toEqual([]);
        expect(h.runtime.starts, where).toBe(1);
        expect(
          (await h.attempts(ref)).map((a) => [a.phase, a.reason]),
          where,
        ).toEqual([['killed', 'killed by alice']]);
        expect(
          h.tracker.comments(ref).filter((c) => c.includes('killed by alice')),
          where,
        ).toHaveLength(1);
      },
    });
    expect(windows).toBeGreaterThanOrEqual(4);
  });

  it('kill --requeue: the first run is stopped before any second one starts', async () => {
    await everyWindow({
      setup: startedRun,
      act: (p, { ref }) => killIssue(p.deps, ref, ALICE, { requeue: true }),
      converge: (p, h) => settle(p, h, 'succeed'),
      check: async (h, { ref }, where) => {
        const attempts = await h.attempts(ref);
        expect(attempts[0]?.phase, where).toBe('killed');
        expect(h.runtime.run('o-r-1-1')?.state, where).toBe('failed');
        expect(
          h.tracker.comments(ref).filter((c) => c.includes('requeued as ready')),
          where,
        ).toHaveLength(1);
        expect(h.tracker.labels(ref), where).toEqual(['needs-human']);
      },
    });
  });

  it('reset --to needs-human with a live run: run stopped, history cleared, the asked state kept', async () => {
    await everyWindow({
      setup: startedRun,
      act: (p, { ref }) => resetIssue(p.deps, ref, 'needs-human', ALICE),
      check: async (h, { ref }, where) => {
        expect(h.tracker.labels(ref), where).toEqual(['needs-human']);
        expect(await h.attempts(ref), where).toEqual([]);
        expect(h.runtime.running(), where).toEqual([]);
        expect(h.runtime.starts, where).toBe(1);
      },
    });
  });

  it('claim: either fully claimed (label and exemption) or not at all; the label is never swept', async () => {
    await everyWindow({
      setup: (h) =>
        Promise.resolve({ ref: h.tracker.addIssue({ repo: h.repo, title: 't', author: 'alice' }) }),
      act: (p, { ref }) => claimIssue(p.deps, ref, 'claude-c', ALICE),
      check: async (h, { ref }, where) => {
        const labelled = h.tracker.labels(ref).includes('claude-c');
        const exempt = (await h.state()).manualClaims[issueKey(ref)] === 'claude-c';
        expect({ labelled, exempt }, where).toEqual(
          labelled ? { labelled: true, exempt: true } : { labelled: false, exempt: false },
        );
        expect(await h.attempts(ref), where).toEqual([]);
      },
    });
  });

  it('take and release: a lease exists exactly when its worker label is on the PR', async () => {
    const withPr = async (h: EngineHarness): Promise<{ pr: IssueRef }> => {
      const pr = h.tracker.addPull({ repo: h.repo, title: 'fix: y', branch: 'feature-y' });
      await h.engine.pass();
      return { pr };
    };
    const consistent = async (h: EngineHarness, pr: IssueRef, where: string): Promise<boolean> => {
      const leases = (await h.store.listLeases()).filter((l) => l.worker === 'claude-b');
      expect(leases.length, where).toBeLessThanOrEqual(1);
      expect(h.tracker.labels(pr).includes('claude-b'), where).toBe(leases.length === 1);
      return leases.length === 1;
    };
    await everyWindow({
      setup: withPr,
      act: (p) => takeReview(p.deps, 'claude-b', ALICE),
      check: async (h, { pr }, where) => void (await consistent(h, pr, where)),
    });
    await everyWindow({
      setup: async (h) => {
        const ctx = await withPr(h);
        await takeReview(h.deps, 'claude-b', ALICE);
        return ctx;
      },
      act: (p, { pr }) => releaseReview(p.deps, { pr }, ALICE),
      check: async (h, { pr }, where) => void (await consistent(h, pr, where)),
    });
  });
});

describe('one lease per worker under concurrency', () => {
  it('two takes at once by claude-b (two processes) give it one PR', async () => {
    const h = createHarness();
    h.tracker.addPull({ repo: h.repo, title: 'fix: a', branch: 'feature-a' });
    h.tracker.addPull({ repo: h.repo, title: 'fix: b', branch: 'feature-b' });
    const other = h.restart();
    await Promise.all([h.engine.pass({ dryRun: true }), other.engine.pass({ dryRun: true })]);
    const results = await Promise.allSettled([
      takeReview(h.deps, 'claude-b', ALICE),
      takeReview(other.deps, 'claude-b', ALICE),
      takeReview(h.deps, 'claude-b', ALICE),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value !== undefined)).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => String(r.reason))).toEqual([
      expect.stringMatching(/claude-b already holds/),
      expect.stringMatching(/claude-b already holds/),
    ]);
    expect((await h.store.listLeases()).map((l) => l.worker)).toEqual(['claude-b']);
  });
});
