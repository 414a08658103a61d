/** Issue bodies beyond this are cut, so the prompt stays a sane argv element. */
const MAX_BODY = 50_000;

export interface PromptIssue {
  /** `owner/name`. */
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

const bodyOf = (issue: PromptIssue): string => {
  const body = issue.body.trim() || '(the issue has no description)';
  return body.length > MAX_BODY
    ? `${body.slice(0, MAX_BODY)}\n\n[… issue text cut at ${MAX_BODY} characters]`
    : body;
};

const ghLine = (ghAllowed: readonly string[]): string =>
  ghAllowed.length > 0
    ? `- The gh CLI is limited to: ${ghAllowed.join(', ')}.`
    : '- The gh CLI is not available.';

export const implementPrompt = (p: {
  issue: PromptIssue;
  branch: string;
  defaultBranch: string;
  ghAllowed: readonly string[];
}): string =>
  [
    `You are working on GitHub issue ${p.issue.repo}#${p.issue.number}: ${p.issue.title}`,
    p.issue.url,
    '',
    bodyOf(p.issue),
    '',
    `You are in a clone of ${p.issue.repo} on branch \`${p.branch}\`, based on \`${p.defaultBranch}\`.`,
    '- Make the change the issue asks for, with tests where the project has them.',
    `- Commit your work on this branch. Refer to the issue as "Refs #${p.issue.number}"; never write "Fixes #${p.issue.number}", "Closes #…" or similar — a person closes the issue.`,
    "- Don't push to other branches and don't change labels. k3sc pushes this branch, opens the pull request and posts the hand-off comment when you finish.",
    ghLine(p.ghAllowed),
    '- Finish with a short summary of what you changed; it becomes the hand-off note.',
  ].join('\n');

export const reviewPrompt = (p: {
  issue: PromptIssue;
  pr: { number: number; url: string };
  branch: string;
  defaultBranch: string;
  ghAllowed: readonly string[];
}): string =>
  [
    `You are reviewing pull request #${p.pr.number} (${p.pr.url}) in ${p.issue.repo}, which implements issue #${p.issue.number}: ${p.issue.title}`,
    '',
    bodyOf(p.issue),
    '',
    `The pull request's branch \`${p.branch}\` is checked out; see the change with \`git diff origin/${p.defaultBranch}...HEAD\`.`,
    '- Review it for correctness, tests, and whether it does what the issue asks.',
    `- Post your verdict as a comment on pull request #${p.pr.number}, starting with APPROVE or REQUEST CHANGES, then your reasons.`,
    "- Don't push, merge, close anything or change labels.",
    ghLine(p.ghAllowed),
    '- Finish with a one-paragraph summary of your verdict; if you could not post the comment, k3sc posts this summary for you.',
  ].join('\n');
