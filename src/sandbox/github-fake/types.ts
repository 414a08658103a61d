/** Public types of the GitHub fake. Everything here is plain data, no HTTP. */

export interface FakeRepoKey {
  readonly owner: string;
  readonly name: string;
}

/** Either `{owner, name}` or `"owner/name"`. */
export type RepoInput = FakeRepoKey | string;

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface RepoInit {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch?: string;
  readonly cloneUrl?: string;
  readonly private?: boolean;
}

export interface IssueInit {
  readonly title: string;
  readonly body?: string;
  readonly author: string;
  readonly labels?: readonly string[];
  readonly createdAt?: string | Date;
}

export interface PullInit {
  readonly title: string;
  /** Head branch, `branch` or `owner:branch`. */
  readonly head: string;
  /** Defaults to the repository's default branch. */
  readonly base?: string;
  readonly author: string;
  readonly labels?: readonly string[];
  readonly body?: string;
  readonly createdAt?: string | Date;
}

export interface LabelEvent {
  readonly id: number;
  readonly event: 'labeled' | 'unlabeled';
  readonly actor: string;
  readonly label: string;
  readonly createdAt: string;
}

export interface FakeComment {
  readonly id: number;
  readonly author: string;
  readonly body: string;
  readonly createdAt: string;
}

/** An issue or pull request as the fake stores it (a copy; mutating it changes nothing). */
export interface FakeIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly author: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
  /** Present for pull requests. */
  readonly pull?: { readonly head: string; readonly headOwner: string; readonly base: string };
}

/** Fired after every mutation, named like the webhook that GitHub would send. */
export interface FakeChange {
  readonly event: 'issues' | 'pull_request' | 'issue_comment' | 'repository';
  readonly action: 'opened' | 'closed' | 'labeled' | 'unlabeled' | 'created';
  readonly repo: FakeRepoKey;
  readonly number?: number;
  readonly actor: string;
  readonly label?: string;
}

export type ChangeListener = (change: FakeChange) => void;

/** Which requests a fault applies to, and how many times. */
interface FaultMatch {
  /** HTTP method to match (any when omitted). */
  readonly method?: string;
  /** Exact request pathname (no query), or a RegExp tested against it; any when omitted. */
  readonly path?: string | RegExp;
  /** How many matching requests fail before the fault is used up. */
  readonly times: number;
}

/** An error answer GitHub could send: a 5xx, or a primary/secondary rate limit. */
export interface StatusFault extends FaultMatch {
  readonly status: 500 | 502 | 429 | 403;
  /** Primary limit: seconds until `x-ratelimit-reset`. Secondary: the `retry-after` value. Default 0. */
  readonly retryAfterSeconds?: number;
  /** 403/429 only: a secondary rate limit (message + retry-after) instead of the primary one. */
  readonly secondary?: boolean;
  /**
   * The request is carried out first (the comment is stored, the label added) and only its
   * answer is this error: a failure *after* the effect, as when GitHub's response is lost.
   */
  readonly afterEffect?: boolean;
}

/** A hung socket: the request is read and never answered (until the client gives up or the fake closes). */
export interface HangFault extends FaultMatch {
  readonly hang: true;
}

export type FaultSpec = StatusFault | HangFault;

export interface RateLimitSnapshot {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  /** Unix seconds at which the window resets. */
  readonly reset: number;
}

export interface FakeCounters {
  /** Every HTTP request the fake received. */
  readonly requests: number;
  /** Keyed `METHOD /route/{template}`, e.g. `GET /repos/{owner}/{repo}/issues`. */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Requests answered 304 Not Modified (they cost no rate limit). */
  readonly notModified: number;
  readonly rateLimit: RateLimitSnapshot;
}

export interface GitHubFakeOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** token -> login. When given, every request must carry one of these tokens (else 401). */
  readonly tokens?: Readonly<Record<string, string>>;
  /**
   * GitHub App id -> bot login (e.g. `{ '123': 'k3sc[bot]' }`). A JWT whose `iss` is a listed id may
   * mint installation tokens (signature not checked); requests with those tokens act as the bot.
   */
  readonly apps?: Readonly<Record<string, string>>;
  /** Largest `per_page` honoured (GitHub: 100). */
  readonly perPageMax?: number;
  /** Primary rate limit per window (GitHub: 5000/h). */
  readonly rateLimit?: number;
  /** Clock for timestamps and the rate-limit window. */
  readonly now?: () => Date;
}
