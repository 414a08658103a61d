import type { Redactor } from '../core/secrets/index.js';
import type { RunnerGitHub } from './github-api.js';

/**
 * The runner's GitHub with every text it writes (comments, pull request titles and bodies)
 * redacted: the agent's closing words end up there, and they may quote a secret.
 */
export const redactingRunnerGitHub = (inner: RunnerGitHub, redact: Redactor): RunnerGitHub => ({
  getRepo: (repo, signal) => inner.getRepo(repo, signal),
  getIssue: (repo, issue, signal) => inner.getIssue(repo, issue, signal),
  findOpenPull: (repo, branch, signal) => inner.findOpenPull(repo, branch, signal),
  listComments: (repo, issue, signal) => inner.listComments(repo, issue, signal),
  createPull: (repo, pull, signal) =>
    inner.createPull(repo, { ...pull, title: redact(pull.title), body: redact(pull.body) }, signal),
  comment: (repo, issue, body, signal) => inner.comment(repo, issue, redact(body), signal),
});
