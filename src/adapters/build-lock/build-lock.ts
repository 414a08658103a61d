import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname, homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `k3sc build-lock`: runs a command while holding an exclusive lock on the shared build cache,
 * so agents sharing cache volumes (cargo, npm, pip, go) never build into them at once.
 *
 * The lock is a kernel `flock(2)` lock taken by util-linux `flock(1)` (in the agent image and
 * on every Linux host): the kernel releases it the moment its holder dies, so a lock left by a
 * crashed or SIGKILLed build is never stale — the file stays, the lock does not. The holder
 * writes who it is into the file, so waiters can say what they wait for.
 */
export interface BuildLockOptions {
  readonly lockPath: string;
  /** Give up after this many seconds of waiting (default: wait for ever). */
  readonly timeoutSeconds?: number;
  readonly command: string;
  readonly args: readonly string[];
  /** Progress lines (waiting, acquired, timed out); the command's own output is untouched. */
  readonly progress: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** How often a waiter repeats its progress line (default 30 s). */
  readonly progressEveryMs?: number;
  readonly flock?: string;
}

export type BuildLockOutcome =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signalled'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'timed-out' };

/** Exit code of a build-lock that gave up waiting (EX_TEMPFAIL, as `flock -w` users expect). */
export const BUILD_LOCK_TIMEOUT_EXIT = 75;

/** Where the lock lives: `$K3SC_BUILD_LOCK`, else `build.lock` in `$K3SC_CACHE_DIR` (agent pods: the shared cache volume), else `~/.cache/k3sc`. */
export const defaultBuildLockPath = (env: NodeJS.ProcessEnv, home = homedir()): string =>
  env['K3SC_BUILD_LOCK'] ||
  join(env['K3SC_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(home, '.cache'), 'k3sc'), 'build.lock');

// Runs under flock with the lock held: record the holder, tell build-lock its pid, become the command.
const HOLD =
  'printf "%s\\n" "$K3SC_BUILD_LOCK_HOLDER" > "$K3SC_BUILD_LOCK_FILE" 2>/dev/null; printf "%s\\n" "$$" >&3; exec 3>&-; exec "$@"';
const CONFLICT = 75;

const holderOf = async (path: string): Promise<string> => {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim().split('\n')[0] || 'an unknown process';
};

const missingFlock = (bin: string): Error =>
  new Error(`build-lock needs flock(1) (util-linux); ${bin} was not found`);

/** Whether the lock is free right now (a probe: the answer may change the next moment). */
const probe = (flock: string, path: string): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const child = spawn(flock, ['--nonblock', '--conflict-exit-code', String(CONFLICT), path, 'true'], {
      stdio: 'ignore',
    });
    child.once('error', (err) =>
      reject((err as { code?: string }).code === 'ENOENT' ? missingFlock(flock) : err),
    );
    child.once('exit', (code) => resolve(code !== CONFLICT));
  });

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export const runWithBuildLock = async (o: BuildLockOptions): Promise<BuildLockOutcome> => {
  const flock = o.flock ?? 'flock';
  await mkdir(dirname(o.lockPath), { recursive: true });
  const started = Date.now();
  const seconds = (): number => Math.round((Date.now() - started) / 1000);
  const free = await probe(flock, o.lockPath);
  let waiting: NodeJS.Timeout | undefined;
  if (!free) {
    const say = async (): Promise<void> =>
      o.progress(
        `build-lock: waiting for ${o.lockPath} (held by ${await holderOf(o.lockPath)})${seconds() > 0 ? `, ${seconds()}s so far` : ''}…`,
      );
    await say();
    waiting = setInterval(() => void say(), o.progressEveryMs ?? 30_000);
  }
  const holder = `pid=${process.pid} host=${hostname()} since=${new Date().toISOString()} cmd=${o.command}`;
  const timeout = o.timeoutSeconds === undefined ? [] : ['--timeout', String(o.timeoutSeconds)];
  const child = spawn(
    flock,
    [
      '--exclusive',
      '--conflict-exit-code',
      String(CONFLICT),
      ...timeout,
      o.lockPath,
      'sh',
      '-c',
      HOLD,
      'k3sc-build-lock',
      o.command,
      ...o.args,
    ],
    {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      env: { ...(o.env ?? process.env), K3SC_BUILD_LOCK_HOLDER: holder, K3SC_BUILD_LOCK_FILE: o.lockPath },
    },
  );
  let commandPid: number | undefined;
  child.stdio[3]?.on('data', (d: Buffer) => {
    const pid = Number.parseInt(d.toString(), 10);
    if (commandPid !== undefined || !Number.isInteger(pid)) return;
    commandPid = pid;
    if (waiting !== undefined) {
      clearInterval(waiting);
      waiting = undefined;
      o.progress(`build-lock: acquired ${o.lockPath} after ${seconds()}s`);
    }
  });
  // A terminal's Ctrl-C reaches the whole foreground group (the command too): forward only
  // what was sent to this process alone, to the command once it runs, else to flock.
  const forward = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGINT' && process.stdin.isTTY === true && commandPid !== undefined) return;
    try {
      process.kill(commandPid ?? child.pid ?? 0, signal);
    } catch {
      // already gone
    }
  };
  for (const s of FORWARDED) process.on(s, forward);
  try {
    return await new Promise<BuildLockOutcome>((resolve, reject) => {
      child.once('error', (err) =>
        reject((err as { code?: string }).code === 'ENOENT' ? missingFlock(flock) : err),
      );
      child.once('close', (code, signal) => {
        if (signal !== null) return resolve({ kind: 'signalled', signal });
        if (code === CONFLICT && commandPid === undefined) {
          o.progress(`build-lock: gave up after ${seconds()}s waiting for ${o.lockPath}`);
          return resolve({ kind: 'timed-out' });
        }
        // flock reports a command killed by signal N as 128 + N, as shells do.
        resolve({ kind: 'exited', code: code ?? 1 });
      });
    });
  } finally {
    if (waiting !== undefined) clearInterval(waiting);
    for (const s of FORWARDED) process.off(s, forward);
  }
};
