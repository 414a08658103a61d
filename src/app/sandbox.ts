import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RepoRef } from '../core/model/refs.js';
import { startGitHubFake, type GitHubFake } from '../sandbox/github-fake/index.js';

const run = promisify(execFile);

export const SANDBOX_USER = 'sandbox-user';
export const SANDBOX_BOT = 'k3sc-bot';
export const SANDBOX_REPO: RepoRef = { owner: 'sandbox', name: 'hello-k3sc' };

export interface Sandbox {
  readonly github: GitHubFake;
  readonly apiUrl: string;
  /** The bot token k3sc and its agents use against the fake. Not a real secret. */
  readonly token: string;
  readonly repo: RepoRef;
  readonly issue: number;
  readonly allowedAuthors: readonly string[];
  close(): Promise<void>;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'k3sc sandbox',
  GIT_AUTHOR_EMAIL: 'sandbox@k3sc.invalid',
  GIT_COMMITTER_NAME: 'k3sc sandbox',
  GIT_COMMITTER_EMAIL: 'sandbox@k3sc.invalid',
};

/** A bare repository whose default branch is `trunk` (so nothing may assume `main`). */
const seedBareRepo = async (dir: string): Promise<string> => {
  const bare = join(dir, `${SANDBOX_REPO.name}.git`);
  await rm(bare, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=trunk', bare]);
  const work = await mkdtemp(join(tmpdir(), 'k3sc-seed-'));
  try {
    const git = (...args: string[]): Promise<unknown> =>
      run('git', args, { cwd: work, env: { ...process.env, ...GIT_ENV } });
    await git('init', '--quiet', '--initial-branch=trunk');
    await writeFile(join(work, 'README.md'), '# hello-k3sc\n\nA sample repository for the k3sc sandbox.\n');
    await writeFile(join(work, 'greet.js'), 'export const greet = (name) => `hello ${name}`;\n');
    await git('add', '.');
    await git('commit', '--quiet', '-m', 'Initial commit');
    await git('push', '--quiet', bare, 'trunk');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return bare;
};

/**
 * The built-in GitHub: the real fake server on loopback, a sample repository backed by a
 * local bare git repo, and one trusted `ready` issue. Fresh on every start: the fake keeps
 * nothing, so the sandbox's own data dir (state, runs, workspaces) is wiped to match.
 * Callers must hold the data dir first (`serve` takes `<data_dir>/serve.lock`, the demo uses a
 * fresh temp dir): wiping first and locking after let two serves started together share it.
 */
export const startSandbox = async (dataDir: string): Promise<Sandbox> => {
  // A run left over from the previous start may still be writing its last lines: retry.
  await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  const token = `sandbox-${randomBytes(12).toString('hex')}`;
  const github = await startGitHubFake({ tokens: { [token]: SANDBOX_BOT } });
  const bare = await seedBareRepo(join(dataDir, 'repos'));
  github.addRepo({ ...SANDBOX_REPO, defaultBranch: 'trunk', cloneUrl: bare });
  github.addCollaborator(SANDBOX_REPO, SANDBOX_USER, 'admin');
  const issue = github.addIssue(SANDBOX_REPO, {
    title: 'Add a friendly greeting',
    body: 'greet() should also say how nice it is to see you. Keep it short.',
    author: SANDBOX_USER,
  });
  github.applyLabelAs(SANDBOX_REPO, issue, 'ready', SANDBOX_USER);
  return {
    github,
    apiUrl: github.url,
    token,
    repo: SANDBOX_REPO,
    issue,
    // k3sc's own login too, so what `new` and `launch` file dispatches (see docs/configs.md#trust).
    allowedAuthors: [SANDBOX_USER, SANDBOX_BOT],
    close: () => github.close(),
  };
};

export const SANDBOX_BANNER = [
  '',
  '  ************************************************************************',
  '  *  SANDBOX MODE: no GitHub credentials found (GITHUB_TOKEN, GH_TOKEN or  *',
  '  *  github.token_file / github.app in the config).                        *',
  '  *  k3sc is running against a BUILT-IN FAKE GitHub on 127.0.0.1 with the   *',
  '  *  sample repository sandbox/hello-k3sc and a STUB agent. Nothing real    *',
  '  *  is touched. Set GITHUB_TOKEN and configure repos to go live.          *',
  '  ************************************************************************',
  '',
].join('\n');
