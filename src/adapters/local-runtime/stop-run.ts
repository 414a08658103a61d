import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/ports/clock.js';
import { isRunAlive, signalGroup } from './process-alive.js';
import {
  readJson,
  writeJsonAtomic,
  type ExitRecord,
  type RunPaths,
  type StartRecord,
  type StopRequest,
} from './run-files.js';

/** The one result k3sc records without having seen it: the supervisor vanished (kill -9). */
export const SUPERVISOR_DIED =
  "the run's supervisor ended without recording a result (killed?); the outcome is unknown, so it counts as failed";

/** After SIGKILL to the runner, how long its supervisor gets to record the end. */
const SETTLE_MS = 1_000;

const waitForDeath = async (pid: number, marker: string, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (isRunAlive(pid, marker)) {
    if (Date.now() >= until) return false;
    await sleep(25);
  }
  return true;
};

const within = (p: Promise<void> | undefined, ms: number): Promise<unknown> =>
  p === undefined ? Promise.resolve() : Promise.race([p, sleep(ms)]);

/** SIGKILL to the runner's group, if its leader is still the runner of this run. */
export const killRunner = (paths: RunPaths): void => {
  let pid: number;
  try {
    pid = Number(readFileSync(paths.runnerPid, 'utf8').trim());
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isRunAlive(pid, paths.spec)) signalGroup(pid, 'SIGKILL');
};

const writeExit = async (
  paths: RunPaths,
  start: StartRecord,
  clock: Clock,
  fields: Pick<ExitRecord, 'signal' | 'reason' | 'interrupted'>,
): Promise<ExitRecord> => {
  const recorded = await readJson<ExitRecord>(paths.exit);
  if (recorded !== undefined) return recorded;
  const record: ExitRecord = {
    exitCode: null,
    ...fields,
    startedAt: start.startedAt,
    finishedAt: clock.now().toISOString(),
  };
  await writeJsonAtomic(paths.exit, record);
  return record;
};

/**
 * For a run whose supervisor is dead: its exit record, or (when it died without writing one)
 * the record saying so: the stop reason when someone had asked it to stop (a SIGTERM that
 * came before it could handle it), else SUPERVISOR_DIED. What the runner left running is killed.
 */
export const settleDeadRun = async (
  paths: RunPaths,
  start: StartRecord,
  clock: Clock,
): Promise<ExitRecord> => {
  const recorded = await readJson<ExitRecord>(paths.exit);
  if (recorded !== undefined) return recorded;
  killRunner(paths);
  const asked = await readJson<StopRequest>(paths.stopRequest).catch(() => undefined);
  if (asked === undefined) return writeExit(paths, start, clock, { signal: null, reason: SUPERVISOR_DIED });
  const interrupted = asked.interrupted === true ? { interrupted: true as const } : {};
  return writeExit(paths, start, clock, { signal: null, reason: asked.reason, ...interrupted });
};

export interface StopRunOptions {
  readonly killGraceMs: number;
  readonly clock: Clock;
  /** A stop that is not the fault (k3sc shutting down). */
  readonly interrupted?: boolean;
  /** Settles when the supervisor has exited, for one this process spawned (so it is reaped). */
  readonly exited?: Promise<void>;
}

/**
 * Stops a run, whoever started it: records the reason in stop.json, SIGTERMs the supervisor
 * (which passes it on to the runner and escalates to SIGKILL after the grace period), waits
 * at most the grace period, then kills the runner and, if need be, the supervisor. Returns
 * the exit record (the supervisor's, or one written here if it could not write its own).
 */
export const stopRun = async (
  paths: RunPaths,
  start: StartRecord,
  reason: string,
  opts: StopRunOptions,
): Promise<ExitRecord> => {
  const done = await readJson<ExitRecord>(paths.exit);
  if (done !== undefined) return done;
  if (!isRunAlive(start.pid, paths.spec)) return settleDeadRun(paths, start, opts.clock);
  const interrupted = opts.interrupted === true ? { interrupted: true as const } : {};
  if ((await readJson<StopRequest>(paths.stopRequest).catch(() => undefined)) === undefined) {
    const request: StopRequest = { reason, at: opts.clock.now().toISOString(), ...interrupted };
    await writeJsonAtomic(paths.stopRequest, request);
  }
  try {
    process.kill(start.pid, 'SIGTERM');
  } catch {
    // Ended just now; its record is read below.
  }
  let signal: NodeJS.Signals = 'SIGTERM';
  if (!(await waitForDeath(start.pid, paths.spec, opts.killGraceMs))) {
    signal = 'SIGKILL';
    killRunner(paths);
    if (!(await waitForDeath(start.pid, paths.spec, SETTLE_MS))) {
      signalGroup(start.pid, 'SIGKILL');
      await waitForDeath(start.pid, paths.spec, SETTLE_MS);
    }
  }
  await within(opts.exited, SETTLE_MS);
  const recorded = await readJson<ExitRecord>(paths.exit);
  if (recorded !== undefined) return recorded;
  // The supervisor is gone without a record (killed, or dead before this stop).
  killRunner(paths);
  return writeExit(paths, start, opts.clock, { signal, reason, ...interrupted });
};
