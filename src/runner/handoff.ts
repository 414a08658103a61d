import type { RepoRef } from '../core/model/refs.js';
import type { CommentInfo, PullInfo, RunnerGitHub } from './github-api.js';
import type { RunnerLog } from './runner-log.js';

const MAX_SUMMARY = 1500;

/** The agent's closing words, else the subjects of its commits, cut to a comment-friendly size. */
export const summaryOf = (finalText: string | undefined, commitSubjects: readonly string[]): string => {
  const text = finalText?.trim() || commitSubjects.join('; ') || 'no summary given';
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
};

/** Whether a comment points at the pull request (its URL or `#N`). */
export const mentionsPull = (body: string, pr: Pick<PullInfo, 'number' | 'url'>): boolean =>
  body.includes(pr.url) || new RegExp(String.raw`(?:^|[^\w/])#${pr.number}(?!\d)`).test(body);

const newComments = (all: readonly CommentInfo[], before: ReadonlySet<number>): CommentInfo[] =>
  all.filter((c) => !before.has(c.id));

export interface HandoffContext {
  readonly github: RunnerGitHub;
  readonly repo: RepoRef;
  readonly log: RunnerLog;
  readonly signal?: AbortSignal;
}

/** Finds the open pull request for `branch`, or opens one. The body never uses a closing keyword. */
export const ensurePull = async (
  c: HandoffContext,
  p: { branch: string; base: string; title: string; issue: number; attemptName: string },
): Promise<PullInfo> => {
  const existing = await c.github.findOpenPull(c.repo, p.branch, c.signal);
  if (existing !== undefined) {
    c.log.step(`pull request #${existing.number} already open for ${p.branch}: ${existing.url}`);
    return existing;
  }
  const body = `Implements #${p.issue} (k3sc attempt ${p.attemptName})`;
  const created = await c.github.createPull(
    c.repo,
    { title: p.title, body, head: p.branch, base: p.base },
    c.signal,
  );
  c.log.step(`opened pull request #${created.number}: ${created.url}`);
  return created;
};

/** Posts `Hand-off from <slot>: PR #X — <summary>` on the issue unless the agent already linked the PR. */
export const ensureImplementHandoff = async (
  c: HandoffContext,
  p: { issue: number; before: ReadonlySet<number>; pr: PullInfo; slot: string; summary: string },
): Promise<void> => {
  const fresh = newComments(await c.github.listComments(c.repo, p.issue, c.signal), p.before);
  if (fresh.some((cm) => mentionsPull(cm.body, p.pr))) {
    c.log.step('the agent posted its own hand-off comment');
    return;
  }
  await c.github.comment(
    c.repo,
    p.issue,
    `Hand-off from ${p.slot}: PR #${p.pr.number} — ${p.summary}`,
    c.signal,
  );
  c.log.step(`posted the hand-off comment on #${p.issue}`);
};

/** Posts `Review hand-off from <slot>: …` on the PR unless the agent commented on the PR or issue. */
export const ensureReviewHandoff = async (
  c: HandoffContext,
  p: {
    issue: number;
    pr: PullInfo;
    beforePr: ReadonlySet<number>;
    beforeIssue: ReadonlySet<number>;
    slot: string;
    summary: string;
  },
): Promise<void> => {
  const onPr = newComments(await c.github.listComments(c.repo, p.pr.number, c.signal), p.beforePr);
  const onIssue = newComments(await c.github.listComments(c.repo, p.issue, c.signal), p.beforeIssue);
  if (onPr.length > 0 || onIssue.some((cm) => mentionsPull(cm.body, p.pr))) {
    c.log.step('the agent posted its own review comment');
    return;
  }
  await c.github.comment(c.repo, p.pr.number, `Review hand-off from ${p.slot}: ${p.summary}`, c.signal);
  c.log.step(`posted the review hand-off comment on PR #${p.pr.number}`);
};

export const commentIds = async (c: HandoffContext, issue: number): Promise<Set<number>> =>
  new Set((await c.github.listComments(c.repo, issue, c.signal)).map((cm) => cm.id));
