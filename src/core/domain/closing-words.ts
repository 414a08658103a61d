/** GitHub's keywords that close an issue from a commit or PR ("fixes #12"). Blocked in commit messages. */
export const GITHUB_CLOSING_WORDS: readonly string[] = [
  'close',
  'closes',
  'closed',
  'fix',
  'fixes',
  'fixed',
  'resolve',
  'resolves',
  'resolved',
];
