import { join } from 'node:path';
import type { AgentResult } from '../../core/model/attempt.js';
import { createOctokit } from '../../adapters/github/create-octokit.js';
import { startGitHubFake, type GitHubFake } from '../../sandbox/github-fake/index.js';
import { createOctokitGitHub } from '../octokit-github.js';
import { runAttempt, type RunnerDeps } from '../run-attempt.js';
import type { RunnerSpec } from '../../core/protocol/runner-spec.js';
import type { BuiltRunner } from './build-runner.js';
import { makeBareRepo, tempDir, type TempDirs } from './git-fixture.js';

export const TOKEN = 'ghp_testtoken_0123456789abcdef';
export const REPO = { owner: 'acme', name: 'widgets' };

/** A fake GitHub with acme/widgets (default branch `trunk`, a local bare repo) and issue #1. */
export interface RunnerWorld {
  readonly fake: GitHubFake;
  readonly dirs: TempDirs;
  readonly bare: string;
  readonly issue: number;
  spec(overrides?: Partial<RunnerSpec>): RunnerSpec;
  run(spec: RunnerSpec, deps?: Partial<RunnerDeps>): Promise<{ result: AgentResult; lines: string[] }>;
  close(): Promise<void>;
}

export const startWorld = async (built: BuiltRunner): Promise<RunnerWorld> => {
  const dirs = await tempDir();
  const bare = await makeBareRepo(dirs.root, 'widgets', 'trunk');
  const fake = await startGitHubFake({ tokens: { [TOKEN]: 'k3sc-bot' } });
  fake.addRepo({ ...REPO, defaultBranch: 'trunk', cloneUrl: bare });
  const issue = fake.addIssue(REPO, {
    title: 'Write notes',
    body: 'Please write notes about widgets.',
    author: 'alice',
  });
  // Writes are not spaced out and retries do not wait, so tests stay fast.
  const client = createOctokit({
    baseUrl: fake.url,
    auth: { kind: 'token', token: TOKEN },
    throttle: { minTime: 0, retryAfterBaseMs: 1 },
    retryBaseMs: 1,
  });
  const spec = (overrides: Partial<RunnerSpec> = {}): RunnerSpec => ({
    attemptName: `acme-widgets-${issue}-1`,
    repo: REPO,
    issue,
    kind: 'implement',
    family: 'claude',
    slot: 'claude-a',
    branch: `issue-${issue}`,
    workspace: join(dirs.root, 'workspaces', 'claude-a'),
    github: { apiUrl: fake.url },
    agent: { command: [process.execPath, built.stubAgent, '{prompt}'] },
    safety: { ghAllowed: ['pr view', 'pr comment'], blockedCommitWords: ['fixes', 'closes'] },
    deadlineSeconds: 600,
    ...overrides,
  });
  const run = async (
    s: RunnerSpec,
    deps: Partial<RunnerDeps> = {},
  ): Promise<{ result: AgentResult; lines: string[] }> => {
    const lines: string[] = [];
    const result = await runAttempt(s, {
      github: createOctokitGitHub({ apiUrl: fake.url, client }),
      write: (l) => lines.push(l),
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
      token: TOKEN,
      now: () => new Date(),
      nodePath: process.execPath,
      killGraceMs: 200,
      ...deps,
    });
    return { result, lines };
  };
  return {
    fake,
    dirs,
    bare,
    issue,
    spec,
    run,
    close: async () => {
      await fake.close();
      await dirs.cleanup();
    },
  };
};
