import { delimiter, join } from 'node:path';
import type { RepoRef } from '../core/model/refs.js';
import { gitEnv, makeGit, type Git } from './git.js';
import type { IssueInfo, RunnerGitHub } from './github-api.js';
import { installHooks, installToolShims, type GuardPaths } from './guardrails.js';
import type { RunnerLog } from './runner-log.js';
import type { RunnerSpec } from '../core/protocol/runner-spec.js';
import { checkoutBranch, ensureIdentity, prepareRepo } from './workspace.js';

export interface PreparedAttempt {
  readonly repo: RepoRef;
  readonly repoName: string;
  readonly issue: IssueInfo;
  readonly dir: string;
  readonly defaultBranch: string;
  readonly git: Git;
  readonly guard: GuardPaths;
  /** `<workspace>/.k3sc`, outside the clone. */
  readonly guardDir: string;
}

export interface PrepareDeps {
  readonly github: RunnerGitHub;
  readonly env: NodeJS.ProcessEnv;
  readonly nodePath: string;
  readonly redact: (s: string) => string;
  readonly log: RunnerLog;
  readonly signal?: AbortSignal;
}

/** Steps 1–4: read GitHub, clone or refresh, check out the branch, install the guardrails. */
export const prepareAttempt = async (spec: RunnerSpec, deps: PrepareDeps): Promise<PreparedAttempt> => {
  const { log, github, signal } = deps;
  const repo = { owner: spec.repo.owner, name: spec.repo.name };
  const repoName = `${repo.owner}/${repo.name}`;
  const repoKey = `${repo.owner}__${repo.name}`;
  log.step(`reading ${repoName} and issue #${spec.issue} from GitHub…`);
  const info = await github.getRepo(repo, signal);
  const issue = await github.getIssue(repo, spec.issue, signal);
  const guardDir = join(spec.workspace, '.k3sc');
  const guardOpts = {
    guardDir,
    repoKey,
    branch: spec.branch,
    ghAllowed: spec.safety.ghAllowed,
    blockedCommitWords: spec.safety.blockedCommitWords,
    nodePath: deps.nodePath,
  };
  const guard = await installToolShims(guardOpts);
  const git = makeGit({
    cwd: spec.workspace,
    env: gitEnv(deps.env, guard.askpass),
    redact: deps.redact,
    ...(signal === undefined ? {} : { signal }),
  });
  const prepared = await prepareRepo({
    git,
    log,
    workspace: spec.workspace,
    repoKey,
    displayName: repoName,
    cloneUrl: info.cloneUrl,
    apiDefaultBranch: info.defaultBranch,
  });
  await checkoutBranch(git, log, prepared.dir, spec.branch, prepared.defaultBranch);
  await ensureIdentity(git, prepared.dir, spec.slot);
  await installHooks(guardOpts, guard, (args, o) => git(args, { cwd: prepared.dir, ...o }));
  const gh = spec.safety.ghAllowed.length > 0 ? spec.safety.ghAllowed.join(', ') : 'nothing';
  log.step(`guardrails: push only ${spec.branch}; auto-close phrases refused in commits; gh allowed: ${gh}`);
  return {
    repo,
    repoName,
    issue,
    dir: prepared.dir,
    defaultBranch: prepared.defaultBranch,
    git,
    guard,
    guardDir,
  };
};

/** The agent's environment: ours, the family's, the token for git/gh, and the gh shim first on PATH. */
export const agentEnv = (
  spec: RunnerSpec,
  p: PreparedAttempt,
  env: NodeJS.ProcessEnv,
  token: string | undefined,
): NodeJS.ProcessEnv => ({
  ...env,
  ...spec.agent.env,
  ...(token === undefined ? {} : { GITHUB_TOKEN: token, GH_TOKEN: token }),
  PATH: [p.guard.binDir, env['PATH'] ?? ''].filter(Boolean).join(delimiter),
  GIT_ASKPASS: p.guard.askpass,
  GIT_TERMINAL_PROMPT: '0',
  K3SC_ATTEMPT: spec.attemptName,
  K3SC_KIND: spec.kind,
  K3SC_REPO: p.repoName,
  K3SC_ISSUE: String(spec.issue),
  K3SC_BRANCH: spec.branch,
});
