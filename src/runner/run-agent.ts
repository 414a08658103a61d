import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface AgentProcessOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The agent is stopped after this many ms. */
  readonly deadlineMs: number;
  /** Between SIGTERM and SIGKILL. */
  readonly killGraceMs: number;
  readonly signal?: AbortSignal;
  /** Every stdout and stderr line, in arrival order. */
  readonly onLine: (line: string) => void;
}

export interface AgentExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Set when the command could not be started at all. */
  readonly spawnError?: string;
}

const killGroup = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone.
  }
};

/**
 * Runs the agent CLI (no shell) in its own process group, so the deadline and a stop reach
 * every process it started; whatever it leaves running is killed when it exits.
 */
export const runAgentProcess = (opts: AgentProcessOptions): Promise<AgentExit> =>
  new Promise((resolve) => {
    const [command, ...args] = opts.argv;
    const child = spawn(command ?? '', args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const pid = child.pid;
    const stop = (): void => {
      if (pid === undefined || graceTimer !== undefined) return;
      killGroup(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), opts.killGraceMs);
    };
    const onProcessExit = (): void => {
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.deadlineMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted === true) onAbort();
    process.on('exit', onProcessExit);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', opts.onLine);
    }
    child.on('error', (err) => {
      spawnError = `could not start the agent command "${command ?? ''}": ${err.message}`;
    });
    child.on('exit', () => {
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    });
    child.on('close', (exitCode, sig) => {
      clearTimeout(deadline);
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      process.off('exit', onProcessExit);
      resolve({
        exitCode,
        signal: sig,
        timedOut,
        aborted,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    });
  });
