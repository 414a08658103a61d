import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { K3scError } from '../../core/errors.js';
import type { AgentRuntime, RunSpec, RunStatus } from '../../core/ports/agent-runtime.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { makeRedactor, secretValuesOf } from '../../runner/redact.js';
import { parseRunnerSpec, type RunnerSpec } from '../../runner/runner-spec.js';
import { childEnv } from './child-env.js';
import { spawnChildRun, type ChildRun } from './child-run.js';
import { followLogFile, readLogFile } from './log-reader.js';
import {
  checkName,
  readJson,
  runPaths,
  slotFile,
  workspaceDir,
  writeJsonAtomic,
  type StartRecord,
} from './run-files.js';
import { fromExitRecord, statusFromDisk } from './run-status.js';
import { splitSpecSecrets } from './spec-secrets.js';
import { stopOrphan } from './stop-orphan.js';

export interface LocalRuntimeOptions {
  readonly dataDir: string;
  /** Runner argv, e.g. `[process.execPath, '<abs>/dist/runner/main.js']`; `--spec <file>` is appended. */
  readonly runner: { readonly command: readonly string[] };
  /** Builds the runner's spec for a run in the slot's workspace. */
  readonly buildSpec: (run: RunSpec, workspace: string) => RunnerSpec;
  /** Given to every child on top of a few inherited basics (PATH, HOME, locale…), e.g. GITHUB_TOKEN. */
  readonly env: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called when a child this instance started has ended and its exit record is written. */
  readonly onExit?: (attemptName: string) => void;
  /** Between SIGTERM and SIGKILL; default 10 s. */
  readonly killGraceMs?: number;
  /** How often followLog looks for new output; default 250 ms. */
  readonly pollMs?: number;
  /** More variable names children inherit from `baseEnv`. */
  readonly inheritEnv?: readonly string[];
  /** k3sc's own environment, the source of the inherited basics; default process.env. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

export interface LocalRuntime extends AgentRuntime {
  workspaceOf(slot: string): string;
  /** Stops every run this instance started, recording `stopped (k3sc shut down)`. */
  close(): Promise<void>;
}

interface OwnRun {
  readonly child: ChildRun;
  readonly slot: string;
  readonly startedAt: string;
}

/** Runs agents as child processes of this k3sc, one per slot workspace, with their records on disk. */
export const createLocalRuntime = (opts: LocalRuntimeOptions): LocalRuntime => {
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ component: 'local-runtime' });
  const killGraceMs = opts.killGraceMs ?? 10_000;
  const own = new Map<string, OwnRun>();
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const status = async (attemptName: string, signal?: AbortSignal): Promise<RunStatus> => {
    signal?.throwIfAborted();
    const paths = runPaths(opts.dataDir, attemptName);
    const mine = own.get(attemptName);
    const { status: disk, start } = await statusFromDisk(attemptName, paths);
    if (disk.state !== 'running' && disk.state !== 'failed') return disk;
    if (disk.state === 'failed' && (disk.finishedAt !== undefined || mine === undefined)) return disk;
    if (mine !== undefined) return { attemptName, state: 'running', startedAt: mine.startedAt };
    // A run started by an earlier k3sc: enforce its deadline here, since nobody else will.
    if (
      start !== undefined &&
      clock.now().getTime() > Date.parse(start.startedAt) + start.deadlineSeconds * 1000
    ) {
      const exit = await stopOrphan(paths, start, `deadline exceeded (${start.deadlineSeconds}s)`, {
        killGraceMs,
        clock,
      });
      return fromExitRecord(attemptName, exit);
    }
    return disk;
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
    const paths = runPaths(opts.dataDir, run.attemptName);
    const name = run.attemptName;
    if (own.has(name) || (await statusFromDisk(name, paths)).status.state !== 'missing') return;
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
    const env = { ...opts.env, ...secrets };
    const startedAt = clock.now().toISOString();
    const child = spawnChildRun({
      command: opts.runner.command,
      paths,
      env: childEnv(opts.baseEnv ?? process.env, env, opts.inheritEnv),
      redact: makeRedactor(secretValuesOf(env)),
      deadlineSeconds: run.deadlineSeconds,
      killGraceMs,
      clock,
      startedAt,
      logger,
    });
    own.set(name, { child, slot: run.slot, startedAt });
    if (child.pid !== undefined) {
      await writeFile(paths.pid, `${child.pid}\n`, 'utf8');
      const record: StartRecord = {
        attemptName: name,
        slot: run.slot,
        pid: child.pid,
        startedAt,
        deadlineSeconds: run.deadlineSeconds,
      };
      await writeJsonAtomic(paths.started, record);
    }
    logger.info({ attempt: name, slot: run.slot, pid: child.pid }, 'run started');
    void child.done.then((exit) => {
      own.delete(name);
      logger.info({ attempt: name, exitCode: exit.exitCode, reason: exit.reason }, 'run ended');
      try {
        opts.onExit?.(name);
      } catch (err) {
        logger.error({ err, attempt: name }, 'onExit handler failed');
      }
    });
  };

  return {
    start: (run, signal) => {
      signal?.throwIfAborted();
      checkName('slot', run.slot);
      return serialize(() => launch(run));
    },
    stop: async (attemptName, signal) => {
      signal?.throwIfAborted();
      const mine = own.get(attemptName);
      if (mine !== undefined) {
        await mine.child.stop('stopped');
        return;
      }
      const paths = runPaths(opts.dataDir, attemptName);
      const { status: s, start } = await statusFromDisk(attemptName, paths);
      if (s.state === 'running' && start !== undefined)
        await stopOrphan(paths, start, 'stopped', { killGraceMs, clock });
    },
    status,
    readLog: (attemptName, o) => {
      o?.signal?.throwIfAborted();
      return readLogFile(runPaths(opts.dataDir, attemptName).log, o?.tailLines);
    },
    followLog: (attemptName, signal) => {
      const ended = async (): Promise<boolean> => (await status(attemptName)).state !== 'running';
      return followLogFile(runPaths(opts.dataDir, attemptName).log, ended, signal, opts.pollMs ?? 250);
    },
    workspaceOf: (slot) => workspaceDir(opts.dataDir, slot),
    close: async () => {
      await Promise.all([...own.values()].map((r) => r.child.stop('stopped (k3sc shut down)')));
    },
  };
};
