import { isLive, type Attempt, type AttemptKind } from '../model/attempt.js';
import type { DispatchState } from '../model/dispatch-state.js';
import type { ReviewLease } from '../model/lease.js';
import { issueKey, sameRepo, type IssueRef } from '../model/refs.js';
import type { EngineSettings } from '../model/settings.js';
import type { IssueSnapshot, RepoWorkItems } from '../model/work-items.js';
import { branchFor } from './attempt-name.js';
import { availableFamilies } from './families.js';
import { attemptsOf, lastImplementation, nextSeq } from './issue-history.js';
import { readLabels } from './labels.js';
import { compareCandidates } from './ordering.js';
import { isExpired } from './plan-take.js';
import type { SkipReason } from './skip-reasons.js';
import { allocateSlot } from './slots.js';

export type QueueDecision =
  | { readonly dispatch: true; readonly slot: string; readonly family: string; readonly seq: number }
  | { readonly dispatch: false; readonly reason: SkipReason; readonly detail?: string };

export interface QueueEntry {
  readonly ref: IssueRef;
  readonly title: string;
  readonly stage: 'ready' | 'needs-review';
  readonly kind: AttemptKind;
  readonly createdAt: string;
  readonly decision: QueueDecision;
}

/** One trust question: who applied `label` (the issue's stage label) to `ref`? */
export interface TrustRequest {
  readonly ref: IssueRef;
  readonly label: 'ready' | 'needs-review';
}

/** Result of the expensive trust check, done only for candidates that pass every cheap rule. */
export type TrustVerdict = { readonly trusted: true } | { readonly trusted: false; readonly detail: string };

export interface DispatchInput {
  readonly settings: EngineSettings;
  readonly state: DispatchState;
  readonly now: Date;
  readonly items: readonly RepoWorkItems[];
  readonly attempts: readonly Attempt[];
  readonly leases: readonly ReviewLease[];
  /** issueKey -> verdict on who applied `ready`. Missing means "not checked yet". */
  readonly trust: ReadonlyMap<string, TrustVerdict>;
}

interface Candidate {
  readonly issue: IssueSnapshot;
  readonly stage: 'ready' | 'needs-review';
  /** Stage labels beyond the one the issue is read as (e.g. ready and needs-human at once). */
  readonly conflicting?: readonly string[];
}

const STAGE_LABELS = ['ready', 'needs-review', 'needs-human'] as const;

/** An issue without an owner that carries two or more stage labels: listed, with a reason. */
const conflictOf = (issue: IssueSnapshot, fams: readonly string[]): Candidate | undefined => {
  const reading = readLabels(issue.labels, fams);
  if (reading.stage === 'owned') return undefined;
  const stages = STAGE_LABELS.filter((l) => issue.labels.includes(l));
  if (stages.length < 2) return undefined;
  return { issue, stage: stages.includes('ready') ? 'ready' : 'needs-review', conflicting: stages };
};

const familyNames = (s: EngineSettings): string[] => s.families.map((f) => f.name);

/** Open issues (not PRs) in `ready` or `needs-review`, ordered for dispatch. */
export const listCandidates = (items: readonly RepoWorkItems[], settings: EngineSettings): Candidate[] => {
  const fams = familyNames(settings);
  const out: Candidate[] = [];
  for (const repo of items)
    for (const issue of repo.issues) {
      const conflict = conflictOf(issue, fams);
      const { stage } = readLabels(issue.labels, fams);
      if (conflict) out.push(conflict);
      else if (stage === 'ready' || stage === 'needs-review') out.push({ issue, stage });
    }
  return out.sort(compareCandidates);
};

const isAllowed = (login: string, allowed: readonly string[]): boolean =>
  allowed.some((a) => a.toLowerCase() === login.toLowerCase());

/**
 * A `needs-review` that k3sc itself wrote: the issue's last implementation attempt succeeded
 * here (that transition applies needs-review). Trusted without asking GitHub who applied it, so
 * reviews never stall when k3sc's own login could not be read.
 */
const ownReview = (c: Candidate, input: DispatchInput): boolean =>
  c.stage === 'needs-review' &&
  c.conflicting === undefined &&
  lastImplementation(attemptsOf(input.attempts, { repo: c.issue.repo, number: c.issue.number }))?.phase ===
    'succeeded';

/** Says so plainly when the author is k3sc itself: issues it filed (`new`, `launch`) need its login allowed. */
const untrustedAuthorDetail = (author: string, settings: EngineSettings): string =>
  settings.botLogin?.toLowerCase() === author.toLowerCase()
    ? `author ${author} is k3sc's own login (issues filed by new or launch); add ${author} to allowed_authors to dispatch them`
    : `author ${author} is not in allowed_authors`;

/** The cheap, per-issue rules (no slot, no trust lookup). */
export const cheapSkip = (
  c: Candidate,
  input: DispatchInput,
): { reason: SkipReason; detail?: string } | undefined => {
  const { settings, attempts, now } = input;
  const ref = { repo: c.issue.repo, number: c.issue.number };
  if (!settings.repos.some((r) => sameRepo(r, c.issue.repo))) return { reason: 'repo-not-configured' };
  if (c.conflicting) return { reason: 'conflicting-labels', detail: `labels: ${c.conflicting.join(', ')}` };
  if (c.issue.state === 'closed') return { reason: 'closed' };
  if (readLabels(c.issue.labels, familyNames(settings)).waiting) return { reason: 'waiting' };
  if (!isAllowed(c.issue.author, settings.allowedAuthors))
    return { reason: 'untrusted-author', detail: untrustedAuthorDetail(c.issue.author, settings) };
  const history = attemptsOf(attempts, ref);
  if (history.some(isLive)) return { reason: 'live-attempt' };
  const last = history[history.length - 1];
  if (last?.retryAfter !== undefined && Date.parse(last.retryAfter) > now.getTime())
    return { reason: 'backoff', detail: `retry after ${last.retryAfter}` };
  if (c.stage === 'needs-review') {
    const branch = branchFor(settings.branchPattern, c.issue.number);
    const pr = input.items
      .find((r) => sameRepo(r.repo, c.issue.repo))
      ?.pulls.find((p) => p.branch === branch && p.state === 'open');
    if (pr && readLabels(pr.labels, familyNames(settings)).waiting)
      return { reason: 'waiting', detail: `its PR #${pr.number} carries the waiting label` };
    // An expired lease no longer counts, even before a pass has swept it.
    const lease =
      pr && input.leases.find((l) => l.pr === pr.number && sameRepo(l.repo, pr.repo) && !isExpired(l, now));
    if (lease) return { reason: 'lease-held', detail: `${lease.worker} holds PR #${lease.pr}` };
  }
  if (input.state.paused) return { reason: 'paused' };
  return undefined;
};

/**
 * Candidates that pass the cheap rules and still need the trust check of their stage label:
 * `ready` and `needs-review` alike must have been applied by k3sc, an allowed author or a writer.
 */
export const needsTrustCheck = (input: DispatchInput): TrustRequest[] =>
  listCandidates(input.items, input.settings)
    .filter((c) => cheapSkip(c, input) === undefined && !ownReview(c, input))
    .map((c) => ({ ref: { repo: c.issue.repo, number: c.issue.number }, label: c.stage }))
    .filter((r) => !input.trust.has(issueKey(r.ref)));

/**
 * Decides every candidate in order, allocating slots as it goes, so the plan is exactly what
 * `dispatch` will do. Pure: same input, same plan.
 */
export const planDispatch = (input: DispatchInput): { entries: QueueEntry[]; rotation: number } => {
  const { settings, state } = input;
  const live = input.attempts.filter(isLive).map((a) => ({ slot: a.slot, family: a.family }));
  const available = availableFamilies(settings, state, input.now);
  // Owner labels already on GitHub (manual claims, orphans not yet swept) and lease workers
  // hold their names too: two issues must never carry the same owner label.
  const fams = familyNames(settings);
  const labelled = input.items
    .flatMap((r) => [...r.issues, ...r.pulls])
    .flatMap((i) => readLabels(i.labels, fams).owners);
  const leaseSlots = [
    ...new Set([...input.leases.filter((l) => !isExpired(l, input.now)).map((l) => l.worker), ...labelled]),
  ];
  let rotation = state.rotation;
  const maxSlots = state.maxSlots ?? settings.maxSlots;
  const entries: QueueEntry[] = [];
  for (const c of listCandidates(input.items, settings)) {
    const ref = { repo: c.issue.repo, number: c.issue.number };
    const kind: AttemptKind = c.stage === 'needs-review' ? 'review' : 'implement';
    const base = { ref, title: c.issue.title, stage: c.stage, kind, createdAt: c.issue.createdAt };
    const skip = cheapSkip(c, input);
    if (skip) {
      entries.push({ ...base, decision: { dispatch: false, ...skip } });
      continue;
    }
    const verdict = ownReview(c, input) ? { trusted: true as const } : input.trust.get(issueKey(ref));
    if (!verdict || !verdict.trusted) {
      const detail = verdict ? verdict.detail : `who applied ${c.stage} has not been checked yet`;
      entries.push({ ...base, decision: { dispatch: false, reason: 'untrusted-label', detail } });
      continue;
    }
    const history = attemptsOf(input.attempts, ref);
    const implementer = kind === 'review' ? lastImplementation(history) : undefined;
    // A launched issue runs on its config's family only (its model belongs to that family).
    const pinned = kind === 'implement' ? c.issue.launch : undefined;
    const slot = allocateSlot({
      live,
      available: pinned ? available.filter((f) => f === pinned.family) : available,
      rotation,
      maxSlots,
      excludeSlots: implementer ? [...leaseSlots, implementer.slot] : leaseSlots,
      ...(implementer ? { avoidFamily: implementer.family } : {}),
    });
    if (!slot.ok) {
      const detail = pinned && `launched from config ${pinned.config}, which runs on ${pinned.family} only`;
      entries.push({
        ...base,
        decision: { dispatch: false, reason: slot.reason, ...(detail ? { detail } : {}) },
      });
      continue;
    }
    live.push({ slot: slot.slot, family: slot.family });
    // A pinned pick does not move the rotation of the other issues.
    if (!pinned) rotation = slot.rotation;
    entries.push({
      ...base,
      decision: { dispatch: true, slot: slot.slot, family: slot.family, seq: nextSeq(history) },
    });
  }
  return { entries, rotation };
};
