import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { K3scError } from '../core/errors.js';
import type { Git } from './git.js';
import type { RunnerLog } from './runner-log.js';

export interface PrepareOptions {
  readonly git: Git;
  readonly log: RunnerLog;
  /** The slot's workspace directory. */
  readonly workspace: string;
  /** `<owner>__<name>`. */
  readonly repoKey: string;
  readonly displayName: string;
  readonly cloneUrl: string;
  /** What the GitHub API says; cross-checked with `refs/remotes/origin/HEAD`. */
  readonly apiDefaultBranch: string;
}

export interface PreparedRepo {
  readonly dir: string;
  readonly defaultBranch: string;
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/** Fetches into an existing clone and throws away whatever the last run left behind. */
const refresh = async (opts: PrepareOptions, dir: string): Promise<boolean> => {
  const { git, log } = opts;
  log.step(`refreshing ${opts.displayName} in the workspace…`);
  try {
    await git(['remote', 'set-url', 'origin', opts.cloneUrl], { cwd: dir });
    await git(['fetch', '--prune', 'origin'], { cwd: dir });
  } catch (err) {
    log.step(
      `the existing clone is unusable (${err instanceof Error ? err.message : String(err)}); cloning afresh`,
    );
    return false;
  }
  await git(['rebase', '--abort'], { cwd: dir, allowFail: true });
  await git(['merge', '--abort'], { cwd: dir, allowFail: true });
  await git(['reset', '--hard'], { cwd: dir });
  await git(['clean', '-ffdx'], { cwd: dir });
  return true;
};

const hasRef = async (git: Git, dir: string, ref: string): Promise<boolean> =>
  (await git(['rev-parse', '--verify', '--quiet', ref], { cwd: dir, allowFail: true })).code === 0;

const originHead = async (git: Git, dir: string): Promise<string | undefined> => {
  const out = await git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
    cwd: dir,
    allowFail: true,
  });
  const ref = out.stdout.trim();
  return out.code === 0 && ref.startsWith('refs/remotes/origin/')
    ? ref.slice('refs/remotes/origin/'.length)
    : undefined;
};

/** The default branch: the API's answer when origin has it, else origin/HEAD. Never assumed to be main. */
const detectDefaultBranch = async (opts: PrepareOptions, dir: string): Promise<string> => {
  const { git, log } = opts;
  let head = await originHead(git, dir);
  if (head !== opts.apiDefaultBranch) {
    await git(['remote', 'set-head', 'origin', '--auto'], { cwd: dir, allowFail: true });
    head = await originHead(git, dir);
  }
  if (await hasRef(git, dir, `refs/remotes/origin/${opts.apiDefaultBranch}`)) {
    if (head !== undefined && head !== opts.apiDefaultBranch) {
      log.step(
        `warning: GitHub says the default branch is ${opts.apiDefaultBranch} but origin/HEAD points at ${head}; using ${opts.apiDefaultBranch}`,
      );
    }
    return opts.apiDefaultBranch;
  }
  if (head !== undefined && (await hasRef(git, dir, `refs/remotes/origin/${head}`))) {
    log.step(`warning: origin has no branch ${opts.apiDefaultBranch}; using origin/HEAD (${head})`);
    return head;
  }
  throw new K3scError(
    'not_found',
    `the default branch ${opts.apiDefaultBranch} of ${opts.displayName} does not exist on the remote`,
  );
};

/** Clones into `<workspace>/<owner>__<name>`, or refreshes an existing clone; returns the default branch. */
export const prepareRepo = async (opts: PrepareOptions): Promise<PreparedRepo> => {
  const dir = join(opts.workspace, opts.repoKey);
  await mkdir(opts.workspace, { recursive: true });
  const reused = (await exists(join(dir, '.git'))) && (await refresh(opts, dir));
  if (!reused) {
    await rm(dir, { recursive: true, force: true });
    opts.log.step(`cloning ${opts.displayName}…`);
    await opts.git(['clone', '--quiet', opts.cloneUrl, dir], { cwd: opts.workspace });
  }
  const defaultBranch = await detectDefaultBranch(opts, dir);
  opts.log.step(`default branch: ${defaultBranch}`);
  return { dir, defaultBranch };
};

/** Checks out `branch`: tracking origin's copy when it exists, else new from the default branch. */
export const checkoutBranch = async (
  git: Git,
  log: RunnerLog,
  dir: string,
  branch: string,
  defaultBranch: string,
): Promise<void> => {
  if (await hasRef(git, dir, `refs/remotes/origin/${branch}`)) {
    await git(['checkout', '--quiet', '--force', '-B', branch, '--track', `origin/${branch}`], { cwd: dir });
    log.step(`branch ${branch}: continuing from origin/${branch}`);
  } else {
    await git(['checkout', '--quiet', '--force', '--no-track', '-B', branch, `origin/${defaultBranch}`], {
      cwd: dir,
    });
    log.step(`branch ${branch}: created from origin/${defaultBranch}`);
  }
  await git(['clean', '-ffdx'], { cwd: dir });
};

/** Gives the clone an author identity when the environment has none, so commits work in bare pods. */
export const ensureIdentity = async (git: Git, dir: string, slot: string): Promise<void> => {
  const email = await git(['config', 'user.email'], { cwd: dir, allowFail: true });
  if (email.stdout.trim() === '') {
    await git(['config', 'user.email', 'k3sc-agent@users.noreply.github.com'], { cwd: dir });
    await git(['config', 'user.name', `k3sc ${slot}`], { cwd: dir });
  }
};
