import { attemptsOf } from '../domain/issue-history.js';
import { readLabels, type LabelReading } from '../domain/labels.js';
import { parseIssueRef } from '../domain/parse-issue-ref.js';
import type { QueueEntry } from '../domain/plan-dispatch.js';
import { usageReport, type UsageReport } from '../domain/usage-report.js';
import { familiesOf } from '../engine/deps.js';
import { K3scError } from '../errors.js';
import type { Attempt, AttemptPhase } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { IssueSnapshot } from '../model/work-items.js';
import { getDashboard, type Dashboard } from '../usecases/dashboard.js';
import { nextForHuman } from '../usecases/next-for-human.js';
import { freshen, type FarmCore, type QueryCall } from './farm-core.js';

export interface IssueStatus {
  readonly ref: IssueRef;
  /** The open issue as GitHub shows it; absent when it is closed or does not exist. */
  readonly issue?: IssueSnapshot;
  readonly labels?: LabelReading;
  readonly attempts: readonly Attempt[];
  /** Its entry in the dispatch queue (what the next pass would do, or why it skips). */
  readonly queued?: QueueEntry;
}

export interface AttemptLog {
  readonly ref: IssueRef;
  readonly attempt: string;
  readonly phase: AttemptPhase;
  readonly log: string;
}

export interface LogStream {
  readonly ref: IssueRef;
  readonly attempt: string;
  /** New lines until the attempt ends or the call's signal aborts. */
  readonly lines: AsyncIterable<string>;
}

/** Read-only questions about the farm, each with its freshness rule inside. */
export interface FarmQueries {
  /** `owner/repo#N`, or an unambiguous `repo#N` / `N` against the configured repositories. */
  resolveIssue(text: string): IssueRef;
  /** Everything `top` shows (refreshes first in a one-shot process or an unscanned serve). */
  dashboard(call: QueryCall): Promise<Dashboard>;
  /** One issue in detail; its repository is always re-read from GitHub first (a dry run). */
  issueStatus(issue: string, call: QueryCall): Promise<IssueStatus>;
  /** Tokens and cost of every recorded attempt (the store only, no GitHub request). */
  usage(call: QueryCall): Promise<UsageReport>;
  /** The log of an issue's latest attempt, or of `attempt`. */
  logs(issue: string, opts: { attempt?: string; tail?: number }, call: QueryCall): Promise<AttemptLog>;
  /** Follows the log of an issue's latest attempt (or `attempt`) live. */
  followLogs(issue: string, opts: { attempt?: string }, call: QueryCall): Promise<LogStream>;
  /** The issue that has waited longest for a human (same freshness rule as the dashboard). */
  nextForHuman(call: QueryCall): Promise<IssueSnapshot | undefined>;
  /** The farm's clock (audit timestamps). */
  now(): Date;
}

const findAttempt = async (
  core: FarmCore,
  issue: string,
  name: string | undefined,
  call: QueryCall,
): Promise<{ ref: IssueRef; attempt: Attempt }> => {
  const ref = parseIssueRef(issue, core.deps.settings.repos);
  const history = attemptsOf(
    await core.deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, call.signal),
    ref,
  );
  const attempt = name ? history.find((a) => a.name === name) : history[history.length - 1];
  if (!attempt)
    throw new K3scError(
      'not_found',
      name ? `no attempt ${name} for ${issueKey(ref)}` : `${issueKey(ref)} has no attempts yet`,
    );
  return { ref, attempt };
};

export const farmQueries = (core: FarmCore): FarmQueries => {
  const { deps, engine } = core;
  const resolveIssue = (text: string): IssueRef => parseIssueRef(text, deps.settings.repos);
  return {
    resolveIssue,
    dashboard: async (call) => {
      await freshen(core, call);
      return getDashboard(deps, { runtime: core.runtimeName, queue: engine.queue() }, call.signal);
    },
    issueStatus: async (text, call) => {
      const ref = resolveIssue(text);
      await engine.pass({ dryRun: true, repos: [ref.repo], signal: call.signal });
      const issue = deps.cache.issue(ref);
      const attempts = attemptsOf(
        await deps.store.listAttempts({ repo: ref.repo, issue: ref.number }, call.signal),
        ref,
      );
      const queued = engine.queue().find((q) => issueKey(q.ref) === issueKey(ref));
      return {
        ref,
        attempts,
        ...(issue ? { issue, labels: readLabels(issue.labels, familiesOf(deps)) } : {}),
        ...(queued ? { queued } : {}),
      };
    },
    usage: async (call) => usageReport(await deps.store.listAttempts({}, call.signal)),
    logs: async (issue, opts, call) => {
      const { ref, attempt } = await findAttempt(core, issue, opts.attempt, call);
      const log = await deps.runtime.readLog(attempt.name, {
        ...(opts.tail ? { tailLines: opts.tail } : {}),
        signal: call.signal,
      });
      return { ref, attempt: attempt.name, phase: attempt.phase, log };
    },
    followLogs: async (issue, opts, call) => {
      const { ref, attempt } = await findAttempt(core, issue, opts.attempt, call);
      return { ref, attempt: attempt.name, lines: deps.runtime.followLog(attempt.name, call.signal) };
    },
    nextForHuman: async (call) => {
      await freshen(core, call);
      return nextForHuman(deps);
    },
    now: () => deps.clock.now(),
  };
};
