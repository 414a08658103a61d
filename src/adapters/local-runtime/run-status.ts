import type { RunStatus } from '../../core/ports/agent-runtime.js';
import { access } from 'node:fs/promises';
import { isRunAlive } from './process-alive.js';
import { readJson, type ExitRecord, type RunPaths, type StartRecord } from './run-files.js';

export const ORPHANED_REASON = 'process ended without a result (k3sc restarted?)';

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
    startedAt: exit.startedAt,
    finishedAt: exit.finishedAt,
  };
};

/** What the files on disk say about a run, for any runtime instance, even one that did not start it. */
export const statusFromDisk = async (
  attemptName: string,
  paths: RunPaths,
): Promise<{ status: RunStatus; start?: StartRecord }> => {
  const exit = await readJson<ExitRecord>(paths.exit);
  if (exit !== undefined) return { status: fromExitRecord(attemptName, exit) };
  const start = await readJson<StartRecord>(paths.started);
  if (start !== undefined && isRunAlive(start.pid, paths.spec)) {
    return { status: { attemptName, state: 'running', startedAt: start.startedAt }, start };
  }
  if (await exists(paths.dir)) {
    const startedAt = start === undefined ? {} : { startedAt: start.startedAt };
    return { status: { attemptName, state: 'failed', reason: ORPHANED_REASON, ...startedAt } };
  }
  return { status: { attemptName, state: 'missing' } };
};
