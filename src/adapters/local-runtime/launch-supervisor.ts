import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunPaths } from './run-files.js';
import { SUPERVISOR_CONFIG_VAR, type SupervisorConfig } from './supervisor-config.js';

/**
 * `node <dist>/adapters/local-runtime/supervisor-main.js`: next to this file in a build; from
 * the sources (tests), the built copy under dist/.
 */
export const defaultSupervisorCommand = (): string[] => {
  const here = fileURLToPath(import.meta.url);
  const dir = here.endsWith('.ts')
    ? resolve(dirname(here), '../../../dist/adapters/local-runtime')
    : dirname(here);
  return [process.execPath, join(dir, 'supervisor-main.js')];
};

export interface LaunchedSupervisor {
  readonly pid: number;
  /** Settles when the supervisor process has exited (while this process lives to see it). */
  readonly exited: Promise<void>;
}

/**
 * Spawns a run's supervisor detached from this process: its own session (no terminal
 * signals), no pipes (its stdout/stderr go to supervisor.log), unref'd, so k3sc can exit or
 * die while the run goes on. The environment carries the runner's variables and secrets.
 */
export const launchSupervisor = async (opts: {
  readonly command: readonly string[];
  readonly paths: RunPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly config: SupervisorConfig;
}): Promise<LaunchedSupervisor> => {
  const [cmd, ...args] = opts.command;
  const fd = openSync(opts.paths.supervisorLog, 'a');
  let child;
  try {
    child = spawn(cmd ?? '', [...args, opts.paths.spec], {
      cwd: opts.paths.dir,
      env: { ...opts.env, [SUPERVISOR_CONFIG_VAR]: JSON.stringify(opts.config) },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', () => done());
  });
  if (child.pid === undefined) {
    const err = await new Promise<Error>((done) => child.once('error', done));
    throw new Error(`could not start the run supervisor "${cmd ?? ''}": ${err.message}`);
  }
  child.unref();
  return { pid: child.pid, exited };
};
