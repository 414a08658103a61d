export {
  createOctokit,
  type CreateOctokitOptions,
  type GitHubAuth,
  type GitHubClient,
  type ThrottleSettings,
} from './create-octokit.js';
export { GitHubTracker, type GitHubTrackerOptions } from './github-tracker.js';
export type { RequestStats } from './request-runner.js';
export {
  createGitHubWebhookHandler,
  type GitHubWebhookEvent,
  type GitHubWebhookHandlerOptions,
  type NodeHandler,
} from './webhook-handler.js';
export { mapGitHubError, RateLimitedError } from './map-github-error.js';
export { githubCachePath } from './github-cache-file.js';
export { startOneShotSession, type OneShotSession, type TrustCache } from './one-shot-session.js';
