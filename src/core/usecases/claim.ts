import { readLabels, isOwnerLabel } from '../domain/labels.js';
import { applyStage, ensureCached } from '../engine/apply-stage.js';
import { familiesOf, type EngineDeps } from '../engine/deps.js';
import { K3scError } from '../errors.js';
import { issueKey, type IssueRef } from '../model/refs.js';
import type { Actor } from './actor.js';

/** Who else holds the slot name: a live attempt, a lease, or an owner label on another item. */
const slotHolder = async (
  deps: EngineDeps,
  owner: string,
  signal?: AbortSignal,
): Promise<string | undefined> => {
  const [attempts, leases] = await Promise.all([
    deps.store.listAttempts({ liveOnly: true }, signal),
    deps.store.listLeases(signal),
  ]);
  const attempt = attempts.find((a) => a.slot === owner);
  if (attempt) return `attempt ${attempt.name}`;
  const lease = leases.find((l) => l.worker === owner);
  if (lease) return `the lease on ${issueKey({ repo: lease.repo, number: lease.pr })}`;
  for (const repo of deps.cache.all(deps.settings.repos))
    for (const item of [...repo.issues, ...repo.pulls])
      if (item.labels.includes(owner)) return issueKey({ repo: item.repo, number: item.number });
  return undefined;
};

/** Manual claim: an unowned issue gets `owner`'s label. The orphan sweep leaves it alone. */
export const claimIssue = async (
  deps: EngineDeps,
  ref: IssueRef,
  owner: string,
  actor: Actor,
  signal?: AbortSignal,
): Promise<{ ref: IssueRef; owner: string }> => {
  const fams = familiesOf(deps);
  if (!isOwnerLabel(owner, fams))
    throw new K3scError(
      'bad_input',
      `owner must be a slot name <family>-<letter> with a family of ${fams.join(', ')} (e.g. ${fams[0] ?? 'claude'}-a)`,
    );
  return deps.queue.run(issueKey(ref), async () => {
    await ensureCached(deps, ref, signal);
    const issue = deps.cache.issue(ref);
    const current = issue ? readLabels(issue.labels, fams) : undefined;
    if (current?.stage === 'owned') {
      if (current.owners.includes(owner)) return { ref, owner };
      throw new K3scError(
        'conflict',
        `issue ${issueKey(ref)} is already claimed by ${current.owners.join(', ')}`,
      );
    }
    const live = await deps.store.listAttempts({ repo: ref.repo, issue: ref.number, liveOnly: true }, signal);
    if (live[0])
      throw new K3scError(
        'conflict',
        `issue ${issueKey(ref)} has a live attempt ${live[0].name} on ${live[0].slot}`,
      );
    const holder = await slotHolder(deps, owner, signal);
    if (holder !== undefined)
      throw new K3scError('conflict', `${owner} is in use by ${holder}; pick a free slot name`);
    await deps.store.updateDispatchState(
      (s) => ({ ...s, manualClaims: { ...s.manualClaims, [issueKey(ref)]: owner } }),
      signal,
    );
    await applyStage(deps, ref, { stage: 'owned', owner }, actor.display, signal ? { signal } : {});
    return { ref, owner };
  });
};
