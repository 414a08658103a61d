import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs git with a fixed identity and no user or system config. */
export const git = async (cwd: string, ...args: string[]): Promise<string> => {
  const { stdout } = await run(
    'git',
    ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', ...args],
    {
      cwd,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    },
  );
  return stdout.trim();
};

export interface TempDirs {
  readonly root: string;
  cleanup(): Promise<void>;
}

export const tempDir = async (prefix = 'k3sc-test-'): Promise<TempDirs> => {
  const root = await mkdtemp(join(tmpdir(), prefix));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
};

/** A bare repository whose default branch is `defaultBranch`, seeded with one commit. */
export const makeBareRepo = async (root: string, name: string, defaultBranch: string): Promise<string> => {
  const bare = join(root, `${name}.git`);
  const seed = join(root, `${name}-seed`);
  await run('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, bare]);
  await run('git', ['init', '--quiet', `--initial-branch=${defaultBranch}`, seed]);
  await writeFile(join(seed, 'README.md'), `# ${name}\n`, 'utf8');
  await git(seed, 'add', 'README.md');
  await git(seed, 'commit', '--quiet', '-m', 'Initial commit');
  await git(seed, 'push', '--quiet', bare, `${defaultBranch}:refs/heads/${defaultBranch}`);
  return bare;
};
