import { branchFor, attemptName } from '../domain/attempt-name.js';
import { readLabels } from '../domain/labels.js';
import type { QueueEntry } from '../domain/plan-dispatch.js';
import { ConflictError, isK3scError } from '../errors.js';
import type { Attempt } from '../model/attempt.js';
import { issueKey, sameRepo, type IssueRef } from '../model/refs.js';
import { applyStage } from './apply-stage.js';
import { familiesOf, type EngineDeps } from './deps.js';

/**
 * Claims one planned issue: create the attempt record (the lock) → owner label (before the
 * run exists) → start the run → mark it running. Returns undefined when someone else won.
 */
export const startAttempt = async (
  deps: EngineDeps,
  entry: QueueEntry,
  requestedBy: string,
  signal?: AbortSignal,
): Promise<Attempt | undefined> => {
  if (!entry.decision.dispatch) return undefined;
  const { slot, family, seq: plannedSeq } = entry.decision;
  return deps.queue.run(issueKey(entry.ref), async () => {
    const live = await deps.store.listAttempts({ liveOnly: true }, signal);
    const mine = live.filter((a) => a.issue === entry.ref.number && sameRepo(a.repo, entry.ref.repo));
    if (mine.length > 0 || movedOn(deps, entry) || slotTaken(deps, slot, live)) return undefined;
    const seq = await freshSeq(deps, entry.ref, plannedSeq, signal);
    const attempt: Attempt = {
      name: attemptName(entry.ref.repo, entry.ref.number, seq),
      repo: entry.ref.repo,
      issue: entry.ref.number,
      seq,
      kind: entry.kind,
      family,
      slot,
      phase: 'pending',
      createdAt: deps.clock.now().toISOString(),
      requestedBy,
      ...launchOf(deps, entry),
    };
    try {
      await deps.store.createAttempt(attempt, signal);
    } catch (err) {
      if (err instanceof ConflictError || isK3scError(err, 'conflict')) return undefined;
      throw err;
    }
    return launchAttempt(deps, attempt, signal);
  });
};

/** An implementation of a launched issue carries the issue's launch marker (its family was pinned by the plan). */
const launchOf = (deps: EngineDeps, entry: QueueEntry): Pick<Attempt, 'launch'> => {
  const launch = entry.kind === 'implement' ? deps.cache.issue(entry.ref)?.launch : undefined;
  return launch ? { launch } : {};
};

/** What the run of `attempt` is given beyond the defaults: a launched issue's model, deadline, limits. */
const runExtras = (deps: EngineDeps, attempt: Attempt) => {
  const l = attempt.launch;
  return {
    deadlineSeconds: l?.deadlineSeconds ?? deps.settings.attemptDeadlineSeconds,
    ...(l?.model === undefined ? {} : { model: l.model }),
    ...(l?.maxTurns === undefined ? {} : { maxTurns: l.maxTurns }),
    ...(l?.budgetUsd === undefined ? {} : { budgetUsd: l.budgetUsd }),
  };
};

/**
 * Someone took the planned slot since the plan was made: a live attempt holds it, or a manual
 * claim or lease put its label on another issue or PR (two items must never share an owner label).
 */
const slotTaken = (deps: EngineDeps, slot: string, live: readonly Attempt[]): boolean =>
  live.some((a) => a.slot === slot) ||
  deps.cache
    .all(deps.settings.repos)
    .some((r) => [...r.issues, ...r.pulls].some((i) => i.labels.includes(slot)));

/** A kill, claim or reset (queued ahead of us on this issue) moved it since the plan was made. */
const movedOn = (deps: EngineDeps, entry: QueueEntry): boolean => {
  const labels = deps.cache.issue(entry.ref)?.labels;
  if (labels === undefined) return false;
  const now = readLabels(labels, familiesOf(deps));
  return now.waiting || now.stage !== entry.stage;
};

/**
 * `reset` deletes an issue's records, but the runtime may still hold runs under the old names,
 * and starting a known name is a no-op: skip numbers whose run exists without a record. A run
 * whose record exists stops the search, so `createAttempt` reports the conflict (the lock).
 */
const freshSeq = async (
  deps: EngineDeps,
  ref: IssueRef,
  seq: number,
  signal?: AbortSignal,
): Promise<number> => {
  for (let n = seq; ; n++) {
    const name = attemptName(ref.repo, ref.number, n);
    if ((await deps.runtime.status(name, signal)).state === 'missing') return n;
    if (await deps.store.getAttempt(name, signal)) return n;
  }
};

/** Steps after the lock; safe to repeat after a crash (labels idempotent, start idempotent). */
export const launchAttempt = async (
  deps: EngineDeps,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<Attempt> => {
  const ref = { repo: attempt.repo, number: attempt.issue };
  const start = (): Promise<void> =>
    deps.runtime.start(
      {
        attemptName: attempt.name,
        repo: attempt.repo,
        issue: attempt.issue,
        kind: attempt.kind,
        family: attempt.family,
        slot: attempt.slot,
        branch: branchFor(deps.settings.branchPattern, attempt.issue),
        ...runExtras(deps, attempt),
      },
      signal,
    );
  // The owner label is written before the run exists; the run starts before the old label is
  // removed and the comment posted, so GitHub's write spacing does not delay the agent.
  const opts = { attempt: attempt.name, afterAdd: start, ...(signal ? { signal } : {}) };
  await applyStage(deps, ref, { stage: 'owned', owner: attempt.slot }, 'engine', opts);
  // Posted once per attempt (by marker), also when a crash cut the first try short.
  const what = attempt.kind === 'implement' ? 'implementing' : 'reviewing';
  await deps.tracker.comment(
    ref,
    `k3sc: ${attempt.slot} is ${what} this (attempt \`${attempt.name}\`).`,
    signal,
    {
      marker: `claim:${attempt.name}`,
    },
  );
  const running: Attempt = { ...attempt, phase: 'running', startedAt: deps.clock.now().toISOString() };
  try {
    // A launch repeated by another process (recovering the same pending record) writes nothing twice.
    await deps.store.updateAttempt(running, signal, { ifPhase: 'pending' });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return (await deps.store.getAttempt(attempt.name, signal)) ?? running;
  }
  deps.events.emit({ type: 'attempt-started', ref, attempt: attempt.name, slot: attempt.slot });
  deps.logger.info({ attempt: attempt.name, slot: attempt.slot, kind: attempt.kind }, 'attempt started');
  return running;
};
