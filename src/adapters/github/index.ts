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
export { mapGitHubError } from './map-github-error.js';
