import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { K3scError } from '../../core/errors.js';
import type { AgentRuntime, RunSpec, RunStatus } from '../../core/ports/agent-runtime.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { parseRunnerSpec, type RunnerSpec } from '../../core/protocol/runner-spec.js';
import { childEnv } from './child-env.js';
import { defaultSupervisorCommand, launchSupervisor } from './launch-supervisor.js';
import { forgetRun } from './forget-run.js';
import { followLogFile, readLogFile } from './log-reader.js';
import {
  checkName,
  readJson,
  runPaths,
  slotFile,
  workspaceDir,
  writeJsonAtomic,
  type ExitRecord,
} from './run-files.js';
import { fromExitRecord, NEVER_STARTED_REASON, readDiskState } from './run-status.js';
import { RunWatcher } from './run-watcher.js';
import { splitSpecSecrets } from './spec-secrets.js';
import { startRecordOf, type SupervisorConfig } from './supervisor-config.js';
import { settleDeadRun, stopRun } from './stop-run.js';

export interface LocalRuntimeOptions {
  readonly dataDir: string;
  /** Runner argv, e.g. `[process.execPath, '<abs>/dist/runner/main.js']`; `--spec <file>` is appended. */
  readonly runner: { readonly command: readonly string[] };
  /** Supervisor argv (the run's spec path is appended); default: this build's supervisor-main.js. */
  readonly supervisor?: { readonly command: readonly string[] };
  /** Builds the runner's spec for a run in the slot's workspace. */
  readonly buildSpec: (run: RunSpec, workspace: string) => RunnerSpec;
  /** Given to every child on top of a few inherited basics (PATH, HOME, locale…), e.g. GITHUB_TOKEN. */
  readonly env: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called when a run this instance started or adopted has ended and its exit record is written. */
  readonly onExit?: (attemptName: string) => void;
  /** Between SIGTERM and SIGKILL; default 10 s. */
  readonly killGraceMs?: number;
  /** How often followLog and the exit watcher look at the run files; default 250 ms. */
  readonly pollMs?: number;
  /** More variable names children inherit from `baseEnv`. */
  readonly inheritEnv?: readonly string[];
  /** k3sc's own environment, the source of the inherited basics; default process.env. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

export interface CloseOptions {
  /**
   * `stop` (default): stop the runs this instance started or adopted, recording
   * `stopped (k3sc shut down)` as an interruption. `keep`: leave them running for the next
   * k3sc to adopt (a one-shot CLI command).
   */
  readonly runs?: 'stop' | 'keep';
}

export interface LocalRuntime extends AgentRuntime {
  workspaceOf(slot: string): string;
  /** Stops watching; stops or keeps this instance's runs (see CloseOptions). Bounded by the kill grace. */
  close(opts?: CloseOptions): Promise<void>;
}

export const SHUTDOWN_REASON = 'stopped (k3sc shut down)';

interface OwnRun {
  readonly slot: string;
  readonly startedAt: string;
  /** Settles when the supervisor this instance spawned has exited. */
  readonly exited: Promise<void>;
}

/** Runs agents on this machine, each under a detached supervisor, with their records on disk. */
export const createLocalRuntime = (opts: LocalRuntimeOptions): LocalRuntime => {
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ component: 'local-runtime' });
  const killGraceMs = opts.killGraceMs ?? 10_000;
  const pollMs = opts.pollMs ?? 250;
  const supervisorCommand = opts.supervisor?.command ?? defaultSupervisorCommand();
  const own = new Map<string, OwnRun>();
  let closed = false;
  const watcher = new RunWatcher({
    pollMs,
    clock,
    logger,
    onEnded: (name) => {
      own.delete(name);
      logger.info({ attempt: name }, 'run ended');
      opts.onExit?.(name);
    },
  });
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const stopOptions = (name: string, interrupted = false): Parameters<typeof stopRun>[3] => {
    const exited = own.get(name)?.exited;
    return { killGraceMs, clock, interrupted, ...(exited === undefined ? {} : { exited }) };
  };

  const status = async (attemptName: string, signal?: AbortSignal): Promise<RunStatus> => {
    signal?.throwIfAborted();
    const paths = runPaths(opts.dataDir, attemptName);
    const disk = await readDiskState(paths);
    switch (disk.kind) {
      case 'ended':
        return fromExitRecord(attemptName, disk.exit);
      case 'dead':
        return fromExitRecord(attemptName, await settleDeadRun(paths, disk.start, clock));
      case 'missing':
        return { attemptName, state: 'missing' };
      case 'unstarted': {
        const mine = own.get(attemptName);
        return mine === undefined
          ? // k3sc stopped between preparing and spawning it: nothing ran, nothing to count.
            { attemptName, state: 'failed', reason: NEVER_STARTED_REASON, interrupted: true }
          : { attemptName, state: 'running', startedAt: mine.startedAt };
      }
    }
    const { start } = disk;
    // The supervisor enforces the deadline; this is the fallback for one that did not (hung),
    // late enough not to race it (its stop takes at most the grace period).
    const overdue = Date.parse(start.startedAt) + start.deadlineSeconds * 1000 + 2 * killGraceMs + 1_000;
    if (!own.has(attemptName) && clock.now().getTime() > overdue) {
      const exit = await stopRun(
        paths,
        start,
        `deadline exceeded (${start.deadlineSeconds}s)`,
        stopOptions(attemptName),
      );
      return fromExitRecord(attemptName, exit);
    }
    // A run started by an earlier k3sc: from now on this instance watches it (adoption).
    watcher.watch(attemptName, paths);
    return { attemptName, state: 'running', startedAt: start.startedAt };
  };

  const assertSlotFree = async (slot: string, attemptName: string): Promise<void> => {
    const busy = [...own.entries()].find(([, r]) => r.slot === slot)?.[0];
    const recorded = (await readJson<{ attemptName: string }>(slotFile(opts.dataDir, slot)))?.attemptName;
    for (const other of [busy, recorded]) {
      if (other === undefined || other === attemptName) continue;
      if ((await status(other)).state === 'running') {
        throw new K3scError(
          'conflict',
          `slot ${slot} is busy with ${other}; wait for it to end or stop it first`,
        );
      }
    }
  };

  const launch = async (run: RunSpec): Promise<void> => {
    if (closed) throw new K3scError('unavailable', 'the local runtime is shut down; no new runs');
    const paths = runPaths(opts.dataDir, run.attemptName);
    const name = run.attemptName;
    if (own.has(name) || (await readDiskState(paths)).kind !== 'missing') return;
    await assertSlotFree(run.slot, name);
    const workspace = workspaceDir(opts.dataDir, run.slot);
    await mkdir(workspace, { recursive: true });
    const { spec, secrets } = splitSpecSecrets(parseRunnerSpec(opts.buildSpec(run, workspace)));
    await mkdir(join(opts.dataDir, 'runs'), { recursive: true });
    try {
      await mkdir(paths.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw err;
    }
    await writeJsonAtomic(paths.spec, spec);
    await writeJsonAtomic(slotFile(opts.dataDir, run.slot), { attemptName: name });
    const config: SupervisorConfig = {
      attemptName: name,
      slot: run.slot,
      command: [...opts.runner.command],
      deadlineSeconds: run.deadlineSeconds,
      killGraceMs,
      startedAt: clock.now().toISOString(),
    };
    let launched;
    try {
      launched = await launchSupervisor({
        command: supervisorCommand,
        paths,
        env: childEnv(opts.baseEnv ?? process.env, { ...opts.env, ...secrets }, opts.inheritEnv),
        config,
      });
    } catch (err) {
      const at = clock.now().toISOString();
      const reason = err instanceof Error ? err.message : String(err);
      const exit: ExitRecord = { exitCode: null, signal: null, reason, startedAt: at, finishedAt: at };
      await writeJsonAtomic(paths.exit, exit);
      logger.error({ err, attempt: name }, 'could not start the run');
      opts.onExit?.(name);
      return;
    }
    own.set(name, { slot: run.slot, startedAt: config.startedAt, exited: launched.exited });
    await writeFile(paths.pid, `${launched.pid}\n`, 'utf8');
    await writeJsonAtomic(paths.started, startRecordOf(config, launched.pid));
    watcher.watch(name, paths, launched.exited);
    logger.info({ attempt: name, slot: run.slot, pid: launched.pid }, 'run started');
  };

  const stop = async (attemptName: string, reason: string, interrupted = false): Promise<void> => {
    const paths = runPaths(opts.dataDir, attemptName);
    const disk = await readDiskState(paths);
    if (disk.kind === 'running')
      await stopRun(paths, disk.start, reason, stopOptions(attemptName, interrupted));
    else if (disk.kind === 'dead') await settleDeadRun(paths, disk.start, clock);
  };

  return {
    start: (run, signal) => {
      signal?.throwIfAborted();
      checkName('slot', run.slot);
      return serialize(() => launch(run));
    },
    stop: async (attemptName, signal) => {
      signal?.throwIfAborted();
      checkName('attempt name', attemptName);
      await queue; // a launch of this name in flight finishes first
      await stop(attemptName, 'stopped');
    },
    status,
    discardEnded: (attemptName, signal) => {
      signal?.throwIfAborted();
      checkName('attempt name', attemptName);
      // Behind any launch in flight; a run this instance still owns is never removed.
      return serialize(async () => {
        if (!own.has(attemptName)) await forgetRun(opts.dataDir, attemptName);
      });
    },
    readLog: (attemptName, o) => {
      o?.signal?.throwIfAborted();
      return readLogFile(runPaths(opts.dataDir, attemptName).log, o?.tailLines);
    },
    followLog: (attemptName, signal) => {
      const ended = async (): Promise<boolean> => (await status(attemptName)).state !== 'running';
      return followLogFile(runPaths(opts.dataDir, attemptName).log, ended, signal, pollMs);
    },
    workspaceOf: (slot) => workspaceDir(opts.dataDir, slot),
    close: async (o) => {
      closed = true;
      await queue;
      const mine = watcher.names();
      watcher.close();
      if (o?.runs === 'keep') {
        if (mine.length > 0) logger.info({ attempts: mine }, 'leaving runs running for the next k3sc');
        return;
      }
      await Promise.all(
        mine.map((name) =>
          stop(name, SHUTDOWN_REASON, true).catch((err: unknown) =>
            logger.error({ err, attempt: name }, 'could not stop the run on shutdown'),
          ),
        ),
      );
    },
  };
};
