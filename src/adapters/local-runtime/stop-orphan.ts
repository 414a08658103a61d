import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/ports/clock.js';
import { isRunAlive, signalGroup } from './process-alive.js';
import { readJson, writeJsonAtomic, type ExitRecord, type RunPaths, type StartRecord } from './run-files.js';

const waitForDeath = async (pid: number, marker: string, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (isRunAlive(pid, marker)) {
    if (Date.now() >= until) return false;
    await sleep(25);
  }
  return true;
};

/**
 * Stops a run this instance did not start (k3sc restarted meanwhile): SIGTERM to its group,
 * SIGKILL after the grace period, then writes the exit record no parent is left to write.
 */
export const stopOrphan = async (
  paths: RunPaths,
  start: StartRecord,
  reason: string,
  opts: { killGraceMs: number; clock: Clock },
): Promise<ExitRecord> => {
  await writeJsonAtomic(paths.stopRequest, { reason, at: opts.clock.now().toISOString() });
  signalGroup(start.pid, 'SIGTERM');
  let signal: NodeJS.Signals = 'SIGTERM';
  if (!(await waitForDeath(start.pid, paths.spec, opts.killGraceMs))) {
    signal = 'SIGKILL';
    signalGroup(start.pid, 'SIGKILL');
    await waitForDeath(start.pid, paths.spec, opts.killGraceMs);
  }
  // The run's parent may still be alive (a CLI stopping a run of `serve`) and record the end itself.
  const recorded = await readJson<ExitRecord>(paths.exit);
  if (recorded !== undefined) return recorded;
  const record: ExitRecord = {
    exitCode: null,
    signal,
    reason,
    startedAt: start.startedAt,
    finishedAt: opts.clock.now().toISOString(),
  };
  await writeJsonAtomic(paths.exit, record);
  return record;
};
