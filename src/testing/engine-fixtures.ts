import type { DispatchInput, TrustVerdict } from '../core/domain/plan-dispatch.js';
import type { Attempt } from '../core/model/attempt.js';
import { initialDispatchState, type DispatchState } from '../core/model/dispatch-state.js';
import type { ReviewLease } from '../core/model/lease.js';
import { issueKey, sameRepo, type IssueRef, type RepoRef } from '../core/model/refs.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../core/model/settings.js';
import type { IssueSnapshot, PullSnapshot, RepoWorkItems } from '../core/model/work-items.js';
import type { Actor } from '../core/usecases/actor.js';

/** Plain-data builders for pure domain tests. */
export const REPO: RepoRef = { owner: 'o', name: 'r' };
export const OTHER: RepoRef = { owner: 'o', name: 's' };
export const T0 = '2026-03-02T09:00:00.000Z';
export const NOW = new Date('2026-03-02T12:00:00.000Z');

export const ALICE: Actor = { id: 'cli:alice', display: 'alice', role: 'operator' };
export const BOB: Actor = { id: 'cli:bob', display: 'bob', role: 'operator' };
export const ADMIN: Actor = { id: 'cli:root', display: 'root', role: 'admin' };

export const minutes = (n: number): number => n * 60_000;
export const at = (base: Date | string, offsetMs: number): string =>
  new Date(new Date(base).getTime() + offsetMs).toISOString();

export const makeSettings = (over: Partial<EngineSettings> = {}): EngineSettings => ({
  ...DEFAULT_ENGINE_SETTINGS,
  repos: [REPO, OTHER],
  allowedAuthors: ['alice'],
  ...over,
});

export const makeState = (over: Partial<DispatchState> = {}): DispatchState => ({
  ...initialDispatchState(),
  ...over,
});

export const makeIssue = (
  number: number,
  labels: readonly string[],
  over: Partial<IssueSnapshot> = {},
): IssueSnapshot => {
  const repo = over.repo ?? REPO;
  return {
    repo,
    number,
    title: `issue ${number}`,
    author: 'alice',
    labels,
    state: 'open',
    createdAt: at(T0, minutes(number)),
    updatedAt: T0,
    url: `https://github.com/${repo.owner}/${repo.name}/issues/${number}`,
    ...over,
  };
};

export const makePull = (number: number, branch: string, over: Partial<PullSnapshot> = {}): PullSnapshot => {
  const repo = over.repo ?? REPO;
  return {
    repo,
    number,
    title: `pr ${number}`,
    author: 'k3sc-bot',
    labels: [],
    state: 'open',
    branch,
    createdAt: at(T0, minutes(number)),
    url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}`,
    ...over,
  };
};

/** Groups issues and PRs into one RepoWorkItems per repository. */
export const itemsOf = (
  issues: readonly IssueSnapshot[],
  pulls: readonly PullSnapshot[] = [],
): RepoWorkItems[] => {
  const keys = new Map<string, RepoRef>();
  for (const x of [...issues, ...pulls])
    keys.set(issueKey({ repo: x.repo, number: 0 }).toLowerCase(), x.repo);
  return [...keys.values()].map((repo) => ({
    repo,
    changed: true,
    issues: issues.filter((i) => sameRepo(i.repo, repo)),
    pulls: pulls.filter((p) => sameRepo(p.repo, repo)),
  }));
};

export const makeAttempt = (issue: number, seq: number, over: Partial<Attempt> = {}): Attempt => {
  const repo = over.repo ?? REPO;
  return {
    name: `${repo.owner}-${repo.name}-${issue}-${seq}`,
    repo,
    issue,
    seq,
    kind: 'implement',
    family: 'claude',
    slot: 'claude-a',
    phase: 'failed',
    createdAt: at(T0, minutes(seq)),
    finishedAt: at(T0, minutes(seq) + 30_000),
    requestedBy: 'engine',
    ...over,
  };
};

export const makeLease = (pr: number, worker: string, over: Partial<ReviewLease> = {}): ReviewLease => {
  const repo = over.repo ?? REPO;
  return {
    name: `${repo.owner}-${repo.name}-pr-${pr}`,
    repo,
    pr,
    worker,
    holder: 'cli:alice',
    createdAt: T0,
    expiresAt: at(T0, 12 * 3_600_000),
    ...over,
  };
};

/** Every `ready` issue trusted, unless listed in `untrusted`. */
export const trustAll = (
  issues: readonly IssueSnapshot[],
  untrusted: readonly IssueRef[] = [],
): Map<string, TrustVerdict> =>
  new Map(
    issues.map((i) => {
      const key = issueKey({ repo: i.repo, number: i.number });
      const bad = untrusted.some((u) => issueKey(u) === key);
      return [
        key,
        bad
          ? { trusted: false as const, detail: 'ready was applied by mallory' }
          : { trusted: true as const },
      ];
    }),
  );

export const dispatchInput = (
  over: Partial<DispatchInput> & { issues?: readonly IssueSnapshot[]; pulls?: readonly PullSnapshot[] } = {},
): DispatchInput => {
  const { issues = [], pulls = [], ...rest } = over;
  return {
    settings: makeSettings(),
    state: makeState(),
    now: NOW,
    items: itemsOf(issues, pulls),
    attempts: [],
    leases: [],
    trust: trustAll(issues),
    ...rest,
  };
};
