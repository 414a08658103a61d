import { isEmptyChange, planLabelChange, readLabels, type TargetStage } from '../domain/labels.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import { familiesOf, type EngineDeps } from './deps.js';
import { refreshWorkItems } from './refresh-work-items.js';

const describe = (t: TargetStage): string => (t.stage === 'owned' ? t.owner : t.stage);

/** Makes sure the cache knows the issue's (or PR's) labels: a one-shot CLI starts with none. */
export const ensureCached = async (deps: EngineDeps, ref: IssueRef, signal?: AbortSignal): Promise<void> => {
  if (!deps.cache.issue(ref) && !deps.cache.pull(ref)) await refreshWorkItems(deps, [ref.repo], signal);
};

/**
 * Moves an issue (or PR) to `target`, touching only workflow labels. `alsoRemove` names
 * workflow labels that may be on GitHub though the cache has not seen them yet (our own
 * owner label). Idempotent: nothing is written when the labels already match.
 */
export const applyStage = async (
  deps: EngineDeps,
  ref: IssueRef,
  target: TargetStage,
  by: string,
  opts: {
    alsoRemove?: readonly string[];
    attempt?: string;
    signal?: AbortSignal;
    /** Runs after the label is added and before the others are removed (e.g. start the run). */
    afterAdd?: () => Promise<void>;
  } = {},
): Promise<boolean> => {
  const fams = familiesOf(deps);
  await ensureCached(deps, ref, opts.signal);
  const known = deps.cache.issue(ref)?.labels ?? deps.cache.pull(ref)?.labels ?? [];
  const labels = [...new Set([...known, ...(opts.alsoRemove ?? [])])];
  const change = planLabelChange(labels, target, fams);
  if (isEmptyChange(change)) {
    await opts.afterAdd?.();
    return false;
  }
  if (opts.afterAdd) {
    // Writes are spaced ~1 s apart on GitHub: add, act, then tidy up, so the action is not delayed.
    if (change.add.length > 0)
      await deps.tracker.changeLabels(ref, { add: change.add, remove: [] }, opts.signal);
    await opts.afterAdd();
    if (change.remove.length > 0)
      await deps.tracker.changeLabels(ref, { add: [], remove: change.remove }, opts.signal);
  } else {
    await deps.tracker.changeLabels(ref, change, opts.signal);
  }
  deps.cache.applyLabels(ref, change);
  const from = readLabels(known, fams);
  deps.logger.info({ issue: issueKey(ref), add: change.add, remove: change.remove, by }, 'labels changed');
  deps.events.emit({
    type: 'transition',
    ref,
    from: from.stage === 'owned' ? from.owners.join(',') : from.stage,
    to: describe(target),
    by,
    ...(opts.attempt === undefined ? {} : { attempt: opts.attempt }),
  });
  return true;
};
