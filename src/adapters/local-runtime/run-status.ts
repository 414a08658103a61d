import type { RunStatus } from '../../core/ports/agent-runtime.js';
import { access } from 'node:fs/promises';
import { isRunAlive } from './process-alive.js';
import { readJson, type ExitRecord, type RunPaths, type StartRecord } from './run-files.js';

/** A run directory without a start record: k3sc stopped between preparing the run and spawning it. */
export const NEVER_STARTED_REASON =
  'the run was prepared but never started (k3sc stopped while starting it?)';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

export const fromExitRecord = (attemptName: string, exit: ExitRecord): RunStatus => {
  const ok = exit.exitCode === 0 && exit.reason === null;
  return {
    attemptName,
    state: ok ? 'succeeded' : 'failed',
    ...(exit.exitCode === null ? {} : { exitCode: exit.exitCode }),
    ...(ok ? {} : { reason: exit.reason ?? `exited with code ${String(exit.exitCode)}` }),
    ...(!ok && exit.interrupted === true ? { interrupted: true } : {}),
    startedAt: exit.startedAt,
    finishedAt: exit.finishedAt,
  };
};

/** What the files on disk say about a run, for any runtime instance, even one that did not start it. */
export type DiskState =
  | { readonly kind: 'ended'; readonly exit: ExitRecord }
  | { readonly kind: 'running'; readonly start: StartRecord }
  /** The supervisor is gone and left no exit record (killed with SIGKILL). */
  | { readonly kind: 'dead'; readonly start: StartRecord }
  | { readonly kind: 'unstarted' }
  | { readonly kind: 'missing' };

export const readDiskState = async (paths: RunPaths): Promise<DiskState> => {
  const exit = await readJson<ExitRecord>(paths.exit);
  if (exit !== undefined) return { kind: 'ended', exit };
  const start = await readJson<StartRecord>(paths.started);
  if (start !== undefined) {
    if (isRunAlive(start.pid, paths.spec)) return { kind: 'running', start };
    // It may have written its record between the two reads.
    const late = await readJson<ExitRecord>(paths.exit);
    return late === undefined ? { kind: 'dead', start } : { kind: 'ended', exit: late };
  }
  return (await exists(paths.dir)) ? { kind: 'unstarted' } : { kind: 'missing' };
};
