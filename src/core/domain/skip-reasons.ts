/** Every reason not to dispatch an issue; shown by `top`, `status`, `dispatch --dry-run` and `--json`. */
export type SkipReason =
  | 'waiting'
  | 'untrusted-author'
  | 'untrusted-label'
  | 'repo-not-configured'
  | 'paused'
  | 'no-family-available'
  | 'no-free-slot'
  | 'live-attempt'
  | 'backoff'
  | 'lease-held'
  | 'closed'
  | 'conflicting-labels';

export const SKIP_TEXT: Record<SkipReason, string> = {
  waiting: 'carries the waiting label (a person is on it)',
  'untrusted-author': 'author is not in allowed_authors',
  'untrusted-label':
    'its stage label (ready, needs-review) was applied by someone who is not an allowed author or a writer',
  'repo-not-configured': 'repository is not in the config',
  paused: 'dispatch is paused',
  'no-family-available': 'no agent family is enabled and within quota',
  'no-free-slot': 'all slots are busy',
  'live-attempt': 'an attempt is already running',
  backoff: 'waiting out the retry back-off',
  'lease-held': 'a reviewer holds a lease on its PR',
  closed: 'issue is closed',
  'conflicting-labels': 'carries more than one of ready, needs-review, needs-human; remove all but one',
};
