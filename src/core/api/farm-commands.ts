import { attemptName, branchFor } from '../domain/attempt-name.js';
import { parseIssueRef } from '../domain/parse-issue-ref.js';
import type { DispatchReport } from '../engine/dispatch.js';
import type { Attempt } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { ReviewLease } from '../model/lease.js';
import type { IssueRef } from '../model/refs.js';
import { claimIssue } from '../usecases/claim.js';
import { scaleSlots, setFamilyEnabled, setPaused } from '../usecases/farm-controls.js';
import { killIssue, type KillResult } from '../usecases/kill.js';
import { releaseReview, takeReview } from '../usecases/leases.js';
import { resetIssue, type ResetResult, type ResetTarget } from '../usecases/reset.js';
import { depsFor, freshen, randomId, type CommandCall, type FarmCore } from './farm-core.js';

/** `dispatch --dry-run -o yaml`: what the runtime would create for the next dispatchable issue. */
export interface RunPreview {
  readonly attemptName: string;
  /** undefined when the runtime creates no objects (the local runtime). */
  readonly text?: string;
}

export interface TakeResult {
  readonly lease: ReviewLease;
  /** The PR's web address, when the cache knows it. */
  readonly url?: string;
}

/** What changes the farm. Issue arguments are references resolved against the configured repos. */
export interface FarmCommands {
  /** One pass now (a real one resets the idle back-off first); logs under its own pass id. */
  dispatch(
    opts: { dryRun?: boolean; preview?: boolean },
    call: CommandCall,
  ): Promise<DispatchReport & { preview?: RunPreview }>;
  kill(issue: string, opts: { requeue?: boolean }, call: CommandCall): Promise<KillResult>;
  reset(issue: string, to: ResetTarget, call: CommandCall): Promise<ResetResult>;
  claim(issue: string, owner: string, call: CommandCall): Promise<{ ref: IssueRef; owner: string }>;
  pause(call: CommandCall): Promise<DispatchState>;
  /** Resumes dispatching and wakes the loop. */
  resume(call: CommandCall): Promise<DispatchState>;
  /** `undefined` only reports; a number changes max slots and wakes the loop. */
  scale(slots: number | undefined, call: CommandCall): Promise<{ maxSlots: number; configured: number }>;
  disable(family: string, call: CommandCall): Promise<DispatchState>;
  /** Enables a family (clearing an out-of-quota mark) and wakes the loop. */
  enable(family: string, call: CommandCall): Promise<DispatchState>;
  /** Reserves the next open PR for `worker` (refreshes first in a one-shot process); undefined when none is free. */
  take(worker: string, call: CommandCall, only?: { pr: IssueRef }): Promise<TakeResult | undefined>;
  release(target: { pr: string } | { worker: string }, call: CommandCall): Promise<ReviewLease>;
}

/** The run the first dispatchable entry of a dry run would start, as the runtime shows it. */
const previewOf = async (
  core: FarmCore,
  report: DispatchReport,
  requestedBy: string,
): Promise<RunPreview | undefined> => {
  const entry = report.entries.find((e) => e.decision.dispatch);
  if (entry === undefined || !entry.decision.dispatch) return undefined;
  const { settings, runtime, clock } = core.deps;
  const { seq, family, slot } = entry.decision;
  const name = attemptName(entry.ref.repo, entry.ref.number, seq);
  // The record startAttempt would store first (the lock), as it would store it.
  const attempt: Attempt = {
    name,
    repo: entry.ref.repo,
    issue: entry.ref.number,
    seq,
    kind: entry.kind,
    family,
    slot,
    phase: 'pending',
    createdAt: clock.now().toISOString(),
    requestedBy,
  };
  const text = await runtime.preview?.(
    {
      attemptName: name,
      repo: entry.ref.repo,
      issue: entry.ref.number,
      kind: entry.kind,
      family,
      slot,
      branch: branchFor(settings.branchPattern, entry.ref.number),
      deadlineSeconds: settings.attemptDeadlineSeconds,
    },
    attempt,
  );
  return text === undefined ? { attemptName: name } : { attemptName: name, text };
};

export const farmCommands = (core: FarmCore): FarmCommands => {
  const { engine } = core;
  const newId = core.newId ?? randomId;
  const ref = (text: string): IssueRef => parseIssueRef(text, core.deps.settings.repos);
  return {
    dispatch: async (opts, call) => {
      const dryRun = opts.dryRun ?? false;
      const log = (call.log ?? core.deps.logger).child({ pass: newId() });
      log.info({ dryRun, requestedBy: call.actor.id }, 'pass requested');
      try {
        if (!dryRun) await engine.resetIdle(call.signal);
        const report = await engine.pass({
          dryRun,
          requestedBy: call.actor.id,
          signal: call.signal,
          logger: log,
        });
        log.info(
          {
            dryRun,
            queued: report.entries.length,
            started: report.started.map((a) => a.name),
            failedRepos: report.failedRepos.length,
          },
          'pass done',
        );
        const preview =
          dryRun && opts.preview === true ? await previewOf(core, report, call.actor.id) : undefined;
        return preview === undefined ? report : { ...report, preview };
      } catch (err) {
        log.warn({ err }, 'pass failed');
        throw err;
      }
    },
    kill: (issue, opts, call) =>
      killIssue(depsFor(core, call), ref(issue), call.actor, {
        requeue: opts.requeue ?? false,
        signal: call.signal,
      }),
    reset: (issue, to, call) => resetIssue(depsFor(core, call), ref(issue), to, call.actor, call.signal),
    claim: (issue, owner, call) =>
      claimIssue(depsFor(core, call), ref(issue), owner, call.actor, call.signal),
    pause: (call) => setPaused(depsFor(core, call), true, call.signal),
    resume: async (call) => {
      const s = await setPaused(depsFor(core, call), false, call.signal);
      engine.trigger();
      return s;
    },
    scale: async (slots, call) => {
      const r = await scaleSlots(depsFor(core, call), slots, call.signal);
      if (slots !== undefined) engine.trigger();
      return r;
    },
    disable: (family, call) => setFamilyEnabled(depsFor(core, call), family, false, call.signal),
    enable: async (family, call) => {
      const s = await setFamilyEnabled(depsFor(core, call), family, true, call.signal);
      engine.trigger();
      return s;
    },
    take: async (worker, call, only) => {
      await freshen(core, call);
      const deps = depsFor(core, call);
      const lease = await takeReview(deps, worker, call.actor, {
        signal: call.signal,
        ...(only ? { pr: only.pr } : {}),
      });
      if (!lease) return undefined;
      const url = deps.cache.pull({ repo: lease.repo, number: lease.pr })?.url;
      return { lease, ...(url ? { url } : {}) };
    },
    release: (target, call) =>
      releaseReview(
        depsFor(core, call),
        'pr' in target ? { pr: ref(target.pr) } : { worker: target.worker },
        call.actor,
        call.signal,
      ),
  };
};
