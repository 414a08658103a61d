import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { parseResultLine } from '../../core/protocol/report-lines.js';
import { LineSplitter } from './line-splitter.js';
import { signalGroup } from './process-alive.js';
import { writeJsonAtomic, type ExitRecord, type RunPaths } from './run-files.js';

export interface ChildRunOptions {
  /** Runner argv; `--spec <spec.json>` is appended. */
  readonly command: readonly string[];
  readonly paths: RunPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly redact: (line: string) => string;
  readonly deadlineSeconds: number;
  readonly killGraceMs: number;
  readonly clock: Clock;
  readonly startedAt: string;
  readonly logger: Logger;
}

export interface ChildRun {
  readonly pid: number | undefined;
  /** Settles once exit.json is written. */
  readonly done: Promise<ExitRecord>;
  /** SIGTERM to the process group, SIGKILL after the grace period; resolves when it has ended. */
  stop(reason: string, interrupted?: boolean): Promise<ExitRecord>;
}

interface Why {
  stop: string | undefined;
  interrupted: boolean;
  spawn: string | undefined;
  result: { ok: boolean; reason: string | undefined } | undefined;
}

/** Timers overflow past 2^31-1 ms (about 24.8 days) and would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const exitReason = (code: number | null, signal: string | null, why: Why): string | null => {
  if (why.spawn !== undefined) return why.spawn;
  // The runner finished its work (and said so) before a stop reached it: that is the truth.
  if (code === 0 && why.result?.ok === true) return null;
  if (why.stop !== undefined) return why.stop;
  if (code === 0) return null;
  if (why.result?.reason !== undefined) return why.result.reason;
  return code === null ? `killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
};

/**
 * Spawns one runner in its own process group (the supervisor's child), writes its redacted
 * output to the run's log and, once it has ended, its exit record.
 */
export const spawnChildRun = (opts: ChildRunOptions): ChildRun => {
  const [cmd, ...rest] = opts.command;
  const out = createWriteStream(opts.paths.log, { flags: 'a' });
  out.on('error', (err) => opts.logger.error({ err, path: opts.paths.log }, 'cannot write the run log'));
  const child = spawn(cmd ?? '', [...rest, '--spec', opts.paths.spec], {
    cwd: opts.paths.dir,
    env: opts.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    if (child.pid !== undefined) writeFileSync(opts.paths.runnerPid, `${child.pid}\n`, 'utf8');
  } catch (err) {
    opts.logger.error({ err, path: opts.paths.runnerPid }, 'cannot write the runner pid');
  }
  const why: Why = { stop: undefined, interrupted: false, spawn: undefined, result: undefined };
  let graceTimer: NodeJS.Timeout | undefined;
  const write = (lines: readonly string[]): void => {
    for (const raw of lines) {
      const line = opts.redact(raw);
      const result = parseResultLine(line);
      if (result !== undefined) why.result = { ok: result.ok, reason: result.ok ? undefined : result.reason };
      out.write(`${line}\n`);
    }
  };
  const splitters = [new LineSplitter(), new LineSplitter()] as const;
  child.stdout.on('data', (chunk: Buffer) => write(splitters[0].push(chunk)));
  child.stderr.on('data', (chunk: Buffer) => write(splitters[1].push(chunk)));

  const terminate = (reason: string, interrupted = false): void => {
    if (why.stop === undefined) {
      why.stop = reason;
      why.interrupted = interrupted;
    }
    if (child.pid === undefined || graceTimer !== undefined) return;
    signalGroup(child.pid, 'SIGTERM');
    graceTimer = setTimeout(() => signalGroup(child.pid ?? 0, 'SIGKILL'), opts.killGraceMs);
  };
  const deadline = setTimeout(
    () => terminate(`deadline exceeded (${opts.deadlineSeconds}s)`),
    Math.min(opts.deadlineSeconds * 1000, MAX_TIMER_MS),
  );

  child.on('error', (err) => {
    why.spawn = `could not start the runner "${cmd ?? ''}": ${err.message}`;
  });
  // Whatever the runner left behind in its group goes with it.
  child.on('exit', () => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'));
  const finish = async (code: number | null, signal: string | null): Promise<ExitRecord> => {
    clearTimeout(deadline);
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    write([...splitters[0].flush(), ...splitters[1].flush()]);
    const reason = exitReason(code, signal, why);
    const record: ExitRecord = {
      exitCode: why.spawn === undefined ? code : null,
      signal,
      reason,
      ...(why.interrupted && reason !== null && reason === why.stop ? { interrupted: true as const } : {}),
      startedAt: opts.startedAt,
      finishedAt: opts.clock.now().toISOString(),
    };
    await new Promise<void>((resolve) => out.end(() => resolve()));
    try {
      await writeJsonAtomic(opts.paths.exit, record);
    } catch (err) {
      opts.logger.error({ err, path: opts.paths.exit }, 'cannot write the exit record');
    }
    return record;
  };
  const done = new Promise<ExitRecord>((resolve) => {
    child.on('close', (code, signal) => void finish(code, signal).then(resolve));
  });
  return {
    pid: child.pid,
    done,
    stop: (reason, interrupted) => {
      terminate(reason, interrupted);
      return done;
    },
  };
};
