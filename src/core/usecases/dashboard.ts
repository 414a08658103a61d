import type { QueueEntry } from '../domain/plan-dispatch.js';
import type { EngineDeps } from '../engine/deps.js';
import { familyViews, type FamilyView } from '../domain/families.js';
import { readLabels } from '../domain/labels.js';
import { isoWeek, usageReport } from '../domain/usage-report.js';
import { isLive, type Attempt } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { ReviewLease } from '../model/lease.js';
import { issueKey, sameRepo } from '../model/refs.js';
import type { EngineSettings } from '../model/settings.js';
import type { RepoWorkItems } from '../model/work-items.js';
import { SKIP_TEXT } from '../domain/skip-reasons.js';

export interface Dashboard {
  readonly generatedAt: string;
  readonly runtime: string;
  readonly paused: boolean;
  readonly slots: { readonly max: number; readonly used: number };
  readonly families: readonly FamilyView[];
  readonly running: readonly {
    attempt: string;
    issue: string;
    title: string;
    kind: string;
    slot: string;
    startedAt: string;
    seconds: number;
    lastLine?: string;
  }[];
  readonly queue: readonly {
    issue: string;
    title: string;
    stage: string;
    next: string;
    reason?: string;
    detail?: string;
  }[];
  readonly pulls: readonly {
    pr: string;
    title: string;
    branch: string;
    owners: readonly string[];
    lease?: string;
  }[];
  readonly leases: readonly ReviewLease[];
  readonly costs: { readonly todayUsd: number; readonly weekUsd: number; readonly totalUsd: number };
  readonly lastScanAt?: string;
  readonly nextScanAt?: string;
}

export interface DashboardInput {
  readonly settings: EngineSettings;
  readonly runtime: string;
  readonly state: DispatchState;
  readonly now: Date;
  readonly items: readonly RepoWorkItems[];
  readonly attempts: readonly Attempt[];
  readonly leases: readonly ReviewLease[];
  readonly queue: readonly QueueEntry[];
  readonly lastLines: ReadonlyMap<string, string>;
}

/** Pure: the whole farm in one plain object, rendered by every transport and `--json`. */
export const buildDashboard = (input: DashboardInput): Dashboard => {
  const { now, settings, state } = input;
  const fams = settings.families.map((f) => f.name);
  const live = input.attempts.filter(isLive);
  const title = (repo: Attempt['repo'], n: number): string =>
    input.items.find((r) => sameRepo(r.repo, repo))?.issues.find((i) => i.number === n)?.title ?? '';
  const report = usageReport(input.attempts);
  const today = now.toISOString().slice(0, 10);
  return {
    generatedAt: now.toISOString(),
    runtime: input.runtime,
    paused: state.paused,
    slots: { max: state.maxSlots ?? settings.maxSlots, used: live.length },
    families: familyViews(settings, state, now),
    running: live.map((a) => {
      const started = a.startedAt ?? a.createdAt;
      const lastLine = input.lastLines.get(a.name);
      return {
        attempt: a.name,
        issue: issueKey({ repo: a.repo, number: a.issue }),
        title: title(a.repo, a.issue),
        kind: a.kind,
        slot: a.slot,
        startedAt: started,
        seconds: Math.max(0, Math.round((now.getTime() - Date.parse(started)) / 1000)),
        ...(lastLine === undefined ? {} : { lastLine }),
      };
    }),
    queue: input.queue.map((e) => ({
      issue: issueKey(e.ref),
      title: e.title,
      stage: e.stage,
      next: e.decision.dispatch ? `dispatch to ${e.decision.slot}` : 'skip',
      ...(e.decision.dispatch
        ? {}
        : { reason: e.decision.reason, detail: e.decision.detail ?? SKIP_TEXT[e.decision.reason] }),
    })),
    pulls: input.items
      .flatMap((r) => r.pulls)
      .map((p) => {
        const lease = input.leases.find((l) => l.pr === p.number && sameRepo(l.repo, p.repo));
        return {
          pr: issueKey({ repo: p.repo, number: p.number }),
          title: p.title,
          branch: p.branch,
          owners: readLabels(p.labels, fams).owners,
          ...(lease ? { lease: `${lease.worker} until ${lease.expiresAt}` } : {}),
        };
      }),
    leases: input.leases,
    costs: {
      todayUsd: report.byDay.find((r) => r.key === today)?.costUsd ?? 0,
      weekUsd: report.byWeek.find((r) => r.key === isoWeek(now))?.costUsd ?? 0,
      totalUsd: report.total.costUsd,
    },
    ...(state.lastScanAt === undefined ? {} : { lastScanAt: state.lastScanAt }),
    ...(state.nextScanAt === undefined ? {} : { nextScanAt: state.nextScanAt }),
  };
};

/** The last output line of each live attempt (what `top` shows next to it); a log that fails to read is skipped. */
const lastLinesOf = async (
  deps: Pick<EngineDeps, 'runtime'>,
  attempts: readonly Attempt[],
  signal?: AbortSignal,
): Promise<Map<string, string>> => {
  const lastLines = new Map<string, string>();
  await Promise.all(
    attempts.filter(isLive).map(async (a) => {
      const tail = await deps.runtime
        .readLog(a.name, { tailLines: 1, ...(signal ? { signal } : {}) })
        .catch(() => '');
      const line = tail.trim().split('\n').pop();
      if (line) lastLines.set(a.name, line);
    }),
  );
  return lastLines;
};

/** Reads everything the dashboard shows from the store, the runtime and the cache, then builds it. */
export const getDashboard = async (
  deps: EngineDeps,
  view: { readonly runtime: string; readonly queue: readonly QueueEntry[] },
  signal?: AbortSignal,
): Promise<Dashboard> => {
  const [state, attempts, leases] = await Promise.all([
    deps.store.getDispatchState(signal),
    deps.store.listAttempts({}, signal),
    deps.store.listLeases(signal),
  ]);
  return buildDashboard({
    settings: deps.settings,
    runtime: view.runtime,
    state,
    now: deps.clock.now(),
    items: deps.cache.all(deps.settings.repos),
    attempts,
    leases,
    queue: view.queue,
    lastLines: await lastLinesOf(deps, attempts, signal),
  });
};
