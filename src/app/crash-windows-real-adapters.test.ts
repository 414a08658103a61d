import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineDeps } from '../core/engine/deps.js';
import { Engine } from '../core/engine/engine.js';
import { nullSink } from '../core/engine/events.js';
import { WorkItemsCache } from '../core/engine/work-items-cache.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/model/settings.js';
import { systemClock } from '../core/ports/clock.js';
import { silentLogger } from '../core/ports/logger.js';
import { claimIssue } from '../core/usecases/claim.js';
import { killIssue } from '../core/usecases/kill.js';
import { takeReview } from '../core/usecases/leases.js';
import { resetIssue } from '../core/usecases/reset.js';
import { createOctokit, GitHubTracker } from '../adapters/github/index.js';
import { openLowdbStateStore, type LowdbStateStore } from '../adapters/store/lowdb-state-store.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';
import {
  CrashSwitch,
  crashable,
  InjectedCrash,
  RUNTIME_EFFECTS,
  STORE_EFFECTS,
  TRACKER_EFFECTS,
} from '../testing/crash-switch.js';
import { okLog } from '../testing/engine-log-lines.js';
import { MemoryRuntime } from '../testing/memory-runtime.js';

/**
 * The crash windows again, on the real adapters: the GitHub adapter (Octokit) against the
 * GitHub fake and the lowdb state file. A "crash" kills the process's ports right after the
 * N-th side effect; the next process opens the state file from disk and starts with cold
 * caches (no ETags, no work items, no trust verdicts, no comment markers).
 */
const REPO = { owner: 'acme', name: 'widgets' };
const TOKEN = 'ghp_crash_window_bot_token_0000';
const ALICE = { id: 'cli:alice', display: 'alice', role: 'operator' as const };

interface World {
  readonly fake: GitHubFake;
  readonly runtime: MemoryRuntime;
  readonly dir: string;
  readonly issue: number;
  close(): Promise<void>;
}

interface Proc {
  readonly deps: EngineDeps;
  readonly engine: Engine;
  readonly crash: CrashSwitch;
  readonly store: LowdbStateStore;
}

const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  repos: [REPO],
  allowedAuthors: ['alice'],
  botLogin: 'k3sc-bot',
  // The orphan sweep acts at once: a kill it could undo would show in the very next pass.
  orphanGraceMs: 0,
};

const newWorld = async (): Promise<World> => {
  const fake = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  fake.addRepo(REPO);
  const issue = fake.addIssue(REPO, { title: 'Add a widget', author: 'alice' });
  fake.applyLabelAs(REPO, issue, 'ready', 'alice');
  const dir = await mkdtemp(join(tmpdir(), 'k3sc-crash-'));
  return {
    fake,
    runtime: new MemoryRuntime(),
    dir,
    issue,
    close: async () => {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** A k3sc process: its own Octokit, tracker, store instance (from the file), caches and engine. */
const startProcess = async (w: World, crash = new CrashSwitch()): Promise<Proc> => {
  const client = createOctokit({
    baseUrl: w.fake.url,
    auth: { kind: 'token', token: TOKEN },
    throttle: { minTime: 0 },
    retries: 0,
  });
  const store = await openLowdbStateStore({ path: join(w.dir, 'state.json') });
  const deps: EngineDeps = {
    settings,
    tracker: crashable(new GitHubTracker({ client }), crash, 'tracker', TRACKER_EFFECTS),
    store: crashable(store, crash, 'store', STORE_EFFECTS),
    runtime: crashable(w.runtime, crash, 'runtime', RUNTIME_EFFECTS),
    clock: systemClock,
    logger: silentLogger,
    events: nullSink,
    queue: new KeyedQueue(),
    cache: new WorkItemsCache(),
  };
  return { deps, engine: new Engine(deps), crash, store };
};

/** Runs `act` in a process that dies after each side effect in turn, then converges in a new one. */
const everyWindow = async (
  setup: (w: World) => Promise<void>,
  act: (p: Proc, w: World) => Promise<unknown>,
  check: (w: World, p: Proc, where: string) => Promise<void>,
): Promise<number> => {
  let windows = 0;
  for (let at = 1; at < 40; at++) {
    const w = await newWorld();
    try {
      await setup(w);
      const dying = await startProcess(w, new CrashSwitch(at));
      await act(dying, w).catch((err: unknown) => {
        if (!(err instanceof InjectedCrash) && !dying.crash.fired) throw err;
      });
      // The process is gone: its lock goes with it (lowdb writes were whole, atomic renames).
      await dying.store.close();
      if (!dying.crash.fired) return windows;
      windows++;
      const next = await startProcess(w);
      for (let i = 0; i < 3; i++) await next.engine.pass();
      await check(w, next, `crash after effect ${at} (${dying.crash.done.at(-1) ?? '?'})`);
      await next.store.close();
    } finally {
      await w.close();
    }
  }
  return windows;
};

const runningAttempt = async (w: World): Promise<void> => {
  const p = await startProcess(w);
  await p.engine.pass();
  expect(w.runtime.running()).toEqual(['acme-widgets-1-1']);
  await p.store.close();
};

describe('crash windows on the real GitHub adapter and the lowdb file', () => {
  it('kill: needs-human, the run stopped, one comment; the sweep never brings it back', async () => {
    const windows = await everyWindow(
      runningAttempt,
      (p, w) => killIssue(p.deps, { repo: REPO, number: w.issue }, ALICE),
      async (w, p, where) => {
        expect(w.fake.getIssue(REPO, w.issue)?.labels, where).toEqual(['needs-human']);
        expect(w.runtime.running(), where).toEqual([]);
        expect(w.runtime.starts, where).toBe(1);
        const comments = w.fake.getComments(REPO, w.issue).map((c) => c.body);
        expect(
          comments.filter((c) => c.includes('killed by alice')),
          where,
        ).toHaveLength(1);
        expect(
          (await p.deps.store.listAttempts()).map((a) => a.phase),
          where,
        ).toEqual(['killed']);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('finish: the outcome is applied once, and the review follows', async () => {
    const windows = await everyWindow(
      async (w) => {
        await runningAttempt(w);
        w.fake.addPull(REPO, { title: 'Add a widget', author: 'k3sc-bot', head: 'issue-1' });
        w.runtime.finish('acme-widgets-1-1', { exitCode: 0, log: okLog(2) });
      },
      (p) => p.engine.pass(),
      async (w, p, where) => {
        const attempts = await p.deps.store.listAttempts();
        expect(
          attempts.map((a) => [a.kind, a.phase]),
          where,
        ).toEqual([
          ['implement', 'succeeded'],
          ['review', 'running'],
        ]);
        expect(w.runtime.starts, where).toBe(2);
        const comments = w.fake.getComments(REPO, w.issue).map((c) => c.body);
        expect(new Set(comments).size, where).toBe(comments.length);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('reset --to needs-human: the run stopped, history gone, the asked state kept', async () => {
    const windows = await everyWindow(
      runningAttempt,
      (p, w) => resetIssue(p.deps, { repo: REPO, number: w.issue }, 'needs-human', ALICE),
      async (w, p, where) => {
        expect(w.fake.getIssue(REPO, w.issue)?.labels, where).toEqual(['needs-human']);
        expect(await p.deps.store.listAttempts(), where).toEqual([]);
        expect(w.runtime.running(), where).toEqual([]);
        expect(w.runtime.starts, where).toBe(1);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('claim: claimed fully (label and exemption) or not at all', async () => {
    let issue = 0;
    await everyWindow(
      (w) => {
        issue = w.fake.addIssue(REPO, { title: 'unowned', author: 'alice' });
        return Promise.resolve();
      },
      async (p) => {
        await p.engine.pass({ dryRun: true });
        return claimIssue(p.deps, { repo: REPO, number: issue }, 'claude-c', ALICE);
      },
      async (w, p, where) => {
        const labelled = w.fake.getIssue(REPO, issue)?.labels.includes('claude-c') ?? false;
        const exempt =
          (await p.deps.store.getDispatchState()).manualClaims[`acme/widgets#${issue}`] === 'claude-c';
        expect({ labelled, exempt }, where).toEqual({ labelled, exempt: labelled });
      },
    );
  }, 120_000);

  it('take: a lease exists exactly when its label is on the PR', async () => {
    const windows = await everyWindow(
      async (w) => {
        w.fake.addPull(REPO, { title: 'fix: y', author: 'bob', head: 'feature-y' });
        const p = await startProcess(w);
        await p.engine.pass({ dryRun: true });
        await p.store.close();
      },
      async (p) => {
        await p.engine.pass({ dryRun: true });
        return takeReview(p.deps, 'claude-b', ALICE);
      },
      async (w, p, where) => {
        const leases = await p.deps.store.listLeases();
        const pr = w.fake.getPulls(REPO)[0]?.number ?? 0;
        expect(w.fake.getIssue(REPO, pr)?.labels.includes('claude-b'), where).toBe(leases.length === 1);
      },
    );
    expect(windows).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
