import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GITHUB_CLOSING_WORDS, autoClosePatternSource } from './auto-close.js';
import { askpassScript, commitMsgScript, ghShimScript, nodeLauncher, prePushHook } from './guard-scripts.js';
import type { Git } from './git.js';

export interface GuardPaths {
  /** Directory to put first on PATH (holds the gh shim). */
  readonly binDir: string;
  readonly hooksDir: string;
  readonly askpass: string;
}

export interface GuardOptions {
  /** `<workspace>/.k3sc`: outside the clone, so `git clean` and commits never touch it. */
  readonly guardDir: string;
  /** `<owner>__<name>`, so each repository in a slot has its own hooks. */
  readonly repoKey: string;
  readonly branch: string;
  readonly ghAllowed: readonly string[];
  /** Extra words; GitHub's own closing keywords are always blocked. */
  readonly blockedCommitWords: readonly string[];
  readonly nodePath: string;
}

const writeExecutable = async (path: string, text: string): Promise<void> => {
  await writeFile(path, text, 'utf8');
  await chmod(path, 0o755);
};

/** Writes the askpass helper and the gh shim; they work before any clone exists. */
export const installToolShims = async (opts: GuardOptions): Promise<GuardPaths> => {
  const binDir = join(opts.guardDir, 'bin');
  const libDir = join(opts.guardDir, 'lib');
  const hooksDir = join(opts.guardDir, opts.repoKey, 'hooks');
  await Promise.all([
    mkdir(binDir, { recursive: true }),
    mkdir(libDir, { recursive: true }),
    mkdir(hooksDir, { recursive: true }),
  ]);
  const askpass = join(opts.guardDir, 'askpass.sh');
  await writeExecutable(askpass, askpassScript);
  await writeFile(
    join(libDir, 'guard.json'),
    JSON.stringify({ ghAllowed: opts.ghAllowed, shimDir: binDir }),
    'utf8',
  );
  await writeFile(join(libDir, 'gh-shim.cjs'), ghShimScript, 'utf8');
  await writeExecutable(join(binDir, 'gh'), nodeLauncher(opts.nodePath, join(libDir, 'gh-shim.cjs')));
  return { binDir, hooksDir, askpass };
};

/** Installs the pre-push and commit-msg hooks and points the clone at them. */
export const installHooks = async (opts: GuardOptions, paths: GuardPaths, git: Git): Promise<void> => {
  const words = [
    ...new Set([...GITHUB_CLOSING_WORDS, ...opts.blockedCommitWords.map((w) => w.toLowerCase())]),
  ];
  const guard = { branch: opts.branch, autoClosePattern: autoClosePatternSource(words) ?? null };
  await writeFile(join(paths.hooksDir, 'guard.json'), JSON.stringify(guard), 'utf8');
  await writeFile(join(paths.hooksDir, 'commit-msg.cjs'), commitMsgScript, 'utf8');
  await writeExecutable(
    join(paths.hooksDir, 'commit-msg'),
    nodeLauncher(opts.nodePath, join(paths.hooksDir, 'commit-msg.cjs')),
  );
  await writeExecutable(join(paths.hooksDir, 'pre-push'), prePushHook(opts.branch));
  await git(['config', 'core.hooksPath', paths.hooksDir]);
};
