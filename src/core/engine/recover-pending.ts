import { readLabels } from '../domain/labels.js';
import type { Attempt } from '../model/attempt.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { applyStage } from './apply-stage.js';
import { TrustChecker } from './check-trust.js';
import { familiesOf, type EngineDeps } from './deps.js';
import { refreshWorkItems } from './refresh-work-items.js';

/**
 * Why a `pending` attempt whose run never started must not be launched now, or undefined when
 * it may. The same rules as a fresh dispatch: the issue is still open, has no `waiting`,
 * dispatch is not paused, nobody moved it elsewhere, and a `ready` still waiting for our owner
 * label was applied by someone trusted.
 */
export const pendingRelaunchBlocker = async (
  deps: EngineDeps,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<string | undefined> => {
  const ref: IssueRef = { repo: attempt.repo, number: attempt.issue };
  // Fresh labels: the run may have been planned long ago, by a process that is gone.
  await refreshWorkItems(deps, [ref.repo], signal);
  const issue = deps.cache.issue(ref);
  if (!issue || issue.state !== 'open') return 'the issue is closed or gone';
  const labels = readLabels(issue.labels, familiesOf(deps));
  if (labels.waiting) return 'the issue carries the waiting label';
  if ((await deps.store.getDispatchState(signal)).paused) return 'dispatch is paused';
  const ours = labels.stage === 'owned' && labels.owners.length === 1 && labels.owners[0] === attempt.slot;
  const expected = attempt.kind === 'implement' ? 'ready' : 'needs-review';
  if (!ours && labels.stage !== expected)
    return `the issue moved on (it is ${labels.stage === 'owned' ? labels.owners.join(',') : labels.stage})`;
  if (!ours && expected === 'ready') {
    const verdict = (await new TrustChecker().check(deps, [{ ref, label: 'ready' }], signal)).get(
      issueKey(ref),
    );
    if (verdict && !verdict.trusted) return verdict.detail;
  }
  return undefined;
};

/**
 * Ends a pending attempt that must not run after all: the record fails as interrupted (it never
 * counts against the issue) and our owner label, if we wrote it, goes back to the stage the
 * issue came from. A person's labels (`waiting`, another stage) are left as they are.
 */
export const abandonPending = async (
  deps: EngineDeps,
  attempt: Attempt,
  why: string,
  signal?: AbortSignal,
): Promise<Attempt> => {
  const ref: IssueRef = { repo: attempt.repo, number: attempt.issue };
  const labels = deps.cache.issue(ref)?.labels ?? [];
  const reading = readLabels(labels, familiesOf(deps));
  if (reading.stage === 'owned' && reading.owners.length === 1 && reading.owners[0] === attempt.slot) {
    const back =
      attempt.kind === 'implement' ? { stage: 'ready' as const } : { stage: 'needs-review' as const };
    await applyStage(deps, ref, back, 'engine', { attempt: attempt.name, ...(signal ? { signal } : {}) });
  } else if (labels.includes(attempt.slot)) {
    await deps.tracker.changeLabels(ref, { add: [], remove: [attempt.slot] }, signal);
    deps.cache.applyLabels(ref, { add: [], remove: [attempt.slot] });
  }
  const ended: Attempt = {
    ...attempt,
    phase: 'failed',
    interrupted: true,
    finishedAt: deps.clock.now().toISOString(),
    reason: `not started after a restart: ${why}`,
  };
  await deps.store.updateAttempt(ended, signal);
  deps.logger.warn({ attempt: attempt.name, why }, 'pending attempt not relaunched');
  return ended;
};
