import { execFile } from 'node:child_process';
import { K3scError } from '../core/errors.js';

export interface GitOptions {
  readonly cwd: string;
  /** Full environment for git (askpass helper, no prompts). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Removes secrets from error messages. */
  readonly redact: (s: string) => string;
}

export type Git = (
  args: readonly string[],
  opts?: { cwd?: string; allowFail?: boolean },
) => Promise<GitOutcome>;

export interface GitOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A git runner bound to a directory and environment; no shell is involved. */
export const makeGit =
  (base: GitOptions): Git =>
  (args, opts = {}) =>
    new Promise<GitOutcome>((resolve, reject) => {
      const cwd = opts.cwd ?? base.cwd;
      const options = {
        cwd,
        env: base.env,
        maxBuffer: 64 * 1024 * 1024,
        ...(base.signal ? { signal: base.signal } : {}),
      };
      execFile('git', [...args], options, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        if (err !== null && (opts.allowFail !== true || typeof err.code !== 'number')) {
          const detail = base.redact(String(stderr).trim() || err.message);
          reject(new K3scError('unavailable', `git ${args[0] ?? ''} failed: ${detail}`, { cause: err }));
          return;
        }
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });

/** Environment for git commands the runner itself runs: never prompt, use the askpass helper. */
export const gitEnv = (env: NodeJS.ProcessEnv, askpass: string | undefined): NodeJS.ProcessEnv => ({
  ...env,
  GIT_TERMINAL_PROMPT: '0',
  ...(askpass === undefined ? {} : { GIT_ASKPASS: askpass }),
});
