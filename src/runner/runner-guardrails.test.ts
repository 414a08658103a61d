import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunner, type BuiltRunner } from './__tests__/build-runner.js';
import { REPO, startWorld, type RunnerWorld } from './__tests__/runner-harness.js';

const run = promisify(execFile);
const attempt = async (file: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) => {
  try {
    const { stdout, stderr } = await run(file, args, { ...opts, env: { ...process.env, ...opts.env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

let built: BuiltRunner;
let w: RunnerWorld;
let repoDir: string;
let binDir: string;

// One implement run installs the guardrails; the tests then act as the agent would.
beforeAll(async () => {
  built = await buildRunner();
  w = await startWorld(built);
  const { result } = await w.run(w.spec());
  expect(result.ok).toBe(true);
  repoDir = join(w.spec().workspace, `${REPO.owner}__${REPO.name}`);
  binDir = join(w.spec().workspace, '.k3sc', 'bin');
});
afterAll(async () => {
  await w.close();
  await built.cleanup();
});

describe('guardrails', () => {
  it('pre-push refuses any ref but the issue branch', async () => {
    const other = await attempt('git', ['push', 'origin', 'HEAD:refs/heads/other'], { cwd: repoDir });
    expect(other.code).not.toBe(0);
    expect(other.out).toContain(
      'k3sc: pushing to refs/heads/other is not allowed; this attempt may push only refs/heads/issue-1',
    );
    const trunk = await attempt('git', ['push', 'origin', 'HEAD:trunk'], { cwd: repoDir });
    expect(trunk.code).not.toBe(0);
    const own = await attempt('git', ['push', 'origin', 'issue-1'], { cwd: repoDir });
    expect(own.code).toBe(0);
  });

  it('commit-msg refuses "Fixes #12" and accepts "Refs #12"', async () => {
    const bad = await attempt('git', ['commit', '--allow-empty', '-m', 'Work\n\nFixes #12'], {
      cwd: repoDir,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('k3sc: the commit message contains "Fixes #12"');
    const cross = await attempt('git', ['commit', '--allow-empty', '-m', 'closes acme/widgets#12'], {
      cwd: repoDir,
    });
    expect(cross.code).not.toBe(0);
    const good = await attempt('git', ['commit', '--allow-empty', '-m', 'Work\n\nRefs #12'], {
      cwd: repoDir,
    });
    expect(good.code).toBe(0);
  });

  it('the gh shim refuses a subcommand that is not allowed', async () => {
    const merge = await attempt(join(binDir, 'gh'), ['pr', 'merge', '2'], { cwd: repoDir });
    expect(merge.code).toBe(1);
    expect(merge.out).toContain(
      'k3sc: "gh pr merge" is not allowed in this attempt. Allowed: pr view, pr comment',
    );
  });

  it('the gh shim passes allowed subcommands to the real gh, or says it is missing', async () => {
    const missing = await attempt(join(binDir, 'gh'), ['pr', 'view', '2'], {
      cwd: repoDir,
      env: { PATH: `${binDir}:/nonexistent` },
    });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('k3sc: gh is not installed in this environment');
    const realDir = join(w.dirs.root, 'real-gh');
    await mkdir(realDir, { recursive: true });
    await writeFile(join(realDir, 'gh'), '#!/bin/sh\necho "real gh: $*"\nexit 3\n', 'utf8');
    await chmod(join(realDir, 'gh'), 0o755);
    const real = await attempt('gh', ['pr', 'view', '2'], {
      cwd: repoDir,
      env: { PATH: `${binDir}:${realDir}:${process.env['PATH'] ?? ''}` },
    });
    expect(real).toEqual({ code: 3, out: 'real gh: pr view 2\n' });
  });

  it('the askpass helper answers with the token from the environment only', async () => {
    const askpass = join(w.spec().workspace, '.k3sc', 'askpass.sh');
    const user = await attempt(askpass, ["Username for 'https://github.com': "], { cwd: repoDir });
    expect(user.out).toBe('x-access-token\n');
    const pass = await attempt(askpass, ["Password for 'https://x-access-token@github.com': "], {
      cwd: repoDir,
      env: { GITHUB_TOKEN: 'from-env' },
    });
    expect(pass.out).toBe('from-env\n');
    expect(await readFile(askpass, 'utf8')).not.toContain('ghp_');
  });

  it('keeps the guardrails outside the clone and the token out of git config', async () => {
    const status = await attempt('git', ['status', '--porcelain', '--ignored'], { cwd: repoDir });
    expect(status.out).toBe('');
    const config = await attempt('git', ['config', '--list', '--local'], { cwd: repoDir });
    expect(config.out).toContain(
      `core.hookspath=${join(w.spec().workspace, '.k3sc', 'acme__widgets', 'hooks')}`,
    );
    expect(config.out).not.toContain('ghp_');
  });
});
